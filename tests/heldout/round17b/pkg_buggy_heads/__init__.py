"""Multi-agent motion forecasting for pedestrians at a crossing."""
