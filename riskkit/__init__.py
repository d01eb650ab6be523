"""riskkit: the domain of the section 3.6 risk register. Never imports streamlit."""
