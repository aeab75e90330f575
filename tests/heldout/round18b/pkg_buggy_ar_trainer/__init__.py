"""Vessel track modelling on discretised AIS positions."""
