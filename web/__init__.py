"""Plain HTTP beside the Streamlit app, mounted through st.App: security headers, the
editor-key lock on every route, the participants' cookie."""
