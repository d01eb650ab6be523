from ui.text import md_literal, shorten


def test_markdown_literal_escapes_every_construct_that_could_form_a_link_or_tag():
    escaped = md_literal("[x](javascript:alert(1)) <b>*em*</b> :red[alarm]")
    for construct in ("[x]", "](", "<b>", "*em*", ":red["):
        assert construct not in escaped
    assert escaped.replace("\\", "") == "[x](javascript:alert(1)) <b>*em*</b> :red[alarm]"


def test_shorten_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert shorten("a  b", 10) == "a b"
    assert shorten("word " * 30, 20).endswith("…") and len(shorten("word " * 30, 20)) <= 20
