import torch


def _pad(rows, value):
    L = max(map(len, rows))
    return torch.tensor([r + [value] * (L - len(r)) for r in rows], dtype=torch.long)


def collate_questions(pairs, vocab):
    """pairs: (question text, answer line)."""
    questions = _pad([vocab.encode(q) for q, _ in pairs], vocab.pad_id)
    answers = _pad([[vocab.bos_id] + vocab.encode(a) + [vocab.eos_id] for _, a in pairs], vocab.pad_id)
    return {
        "question": questions,
        "question_pad": questions == vocab.pad_id,
        "answer_in": answers[:, :-1],
        "answer_out": answers[:, 1:],
        "answer_pad": answers[:, :-1] == vocab.pad_id,
    }
