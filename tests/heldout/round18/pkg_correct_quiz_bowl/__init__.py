"""Bonus-question answer-line writer for quiz-bowl packet editors."""
from .collate import collate_questions
from .model import AnswerLineWriter
from .vocab import PacketVocab

__all__ = ["PacketVocab", "collate_questions", "AnswerLineWriter"]
