"""Audiobook narration planner: text tokens in, prosody tokens (pause / pitch accent / rate) out."""
from .model import ProsodyPlanner
from .text import TextBatcher, PROSODY
