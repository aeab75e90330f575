"""Karaoke melody transcription: lyric syllables in, note sequence (pitch, duration) out."""
from .model import LyricToMelody
from .tokenize import SyllableTokenizer, NOTE_VOCAB
