import torch

EVENT_TYPES = ["[PAD]", "[ORDER]", "dough_stretched", "topped", "oven_in", "oven_out", "boxed", "driver_assigned", "left_store", "traffic_delay", "arrived"]
PAD_ID = 0


class OrderCollator:
    """Pads event sequences and returns a tokenizer-style batch (attention_mask: 1 = real event)."""

    def __init__(self, max_events=32):
        self.max_events = max_events

    def __call__(self, orders):
        seqs = [o["events"][: self.max_events] for o in orders]
        width = max(len(s) for s in seqs)
        input_ids = torch.full((len(seqs), width), PAD_ID, dtype=torch.long)
        minutes = torch.zeros(len(seqs), width)
        attention_mask = torch.zeros(len(seqs), width, dtype=torch.long)
        for i, s in enumerate(seqs):
            input_ids[i, : len(s)] = torch.tensor([EVENT_TYPES.index(e) for e, _ in s])
            minutes[i, : len(s)] = torch.tensor([t for _, t in s], dtype=torch.float)
            attention_mask[i, : len(s)] = 1
        eta = torch.tensor([o.get("eta_min", 0.0) for o in orders])
        return {"input_ids": input_ids, "minutes": minutes, "attention_mask": attention_mask, "eta": eta}
