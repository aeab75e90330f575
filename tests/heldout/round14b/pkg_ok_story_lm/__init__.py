"""Tiny story-generation LM with two attention backends selected by config."""
from .config import StoryConfig
from .model import StoryLM

__all__ = ["StoryConfig", "StoryLM"]
