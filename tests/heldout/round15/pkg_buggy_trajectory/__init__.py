"""Trajectory world model: each timestep is a group of tokens (observation patches + action)."""
from .model import TrajectoryModel
