"""Errors a user can cause. Each message is written for a workshop facilitator."""


class RiskkitError(Exception):
    """Base of every error a page shows with st.error (and then changes nothing)."""


class CatalogueError(RiskkitError):
    """The catalogue or indicator data file is malformed; the message names file and field."""


class IndicatorFileError(RiskkitError):
    """An uploaded indicator list could not be used."""


class UnknownLevel(RiskkitError):
    """A likelihood or impact that is not on the scale (e.g. 'Very high')."""


class UnknownRisk(RiskkitError):
    """A risk number that is neither in the catalogue nor one of the user's own."""


class InvalidEdit(RiskkitError):
    """An edit the register cannot take (an empty statement, an unknown policy)."""


class UnknownAssessment(RiskkitError):
    """No assessment has that id (a mistyped link, or deleted by someone meanwhile)."""


class StaleEdit(RiskkitError):
    """Someone else saved the same thing first; the page reloads their values."""


class NotFacilitator(RiskkitError):
    """A facilitator's action without the facilitator's link."""


class UnknownRatingSession(RiskkitError):
    """No group rating has that join code (mistyped, or from another workshop)."""


class RatingClosed(RiskkitError):
    """The facilitator ended the group rating."""


class VotesHidden(RiskkitError):
    """A participant asked for votes the facilitator has not revealed."""


class VoteTooLate(RiskkitError):
    """A phone's vote arrived after the room moved on (another risk shown, or its votes revealed)."""
