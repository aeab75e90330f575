"""Short-term traffic-flow forecasting at signalised intersections."""
