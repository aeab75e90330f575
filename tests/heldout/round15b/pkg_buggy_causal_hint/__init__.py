from .model import PromptScorer
