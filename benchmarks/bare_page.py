"""The baseline for benchmarks/browser.py: a bare Streamlit page with one plotly chart and one
segmented control, nothing else. Choosing a level redraws the chart with the level in its
title, as choosing a level on riskkit's Assess page redraws the risk's band."""

import plotly.graph_objects as go
import streamlit as st

LEVELS = ("Low", "Medium", "High")

level = st.segmented_control("Likelihood", LEVELS, key="bare.level")
figure = go.Figure(go.Scatter(x=[0, 1, 2] * 3, y=[0] * 3 + [1] * 3 + [2] * 3, mode="markers+text",
                              text=[str(i) for i in range(9)]))
figure.update_layout(title=f"Chosen: {level or 'nothing'}")
st.plotly_chart(figure, key="bare.chart")
