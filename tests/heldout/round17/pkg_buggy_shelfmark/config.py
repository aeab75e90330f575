from dataclasses import dataclass


@dataclass
class TaggerConfig:
    vocab_size: int = 16384
    n_subjects: int = 900          # local subset of LCSH headings
    dim: int = 64
    heads: int = 4
    layers: int = 2
    max_len: int = 128
    fields: tuple = ("245", "520", "650", "653")   # title, summary, subjects, keywords
