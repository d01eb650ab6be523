"""The baseline: a bare Streamlit page with one plotly chart (nine points)."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=[0, 1, 2] * 3, y=[0] * 3 + [1] * 3 + [2] * 3, mode="markers+text",
                                     text=[str(i) for i in range(9)])), key="bare")
