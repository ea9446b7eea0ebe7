"""Helpers of the Streamlit app (``app.py``, ``app_pages/``): only the app imports them."""
