import torch
from torch import nn


class RoFormerConfig:
    vocab_size = 60
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    is_decoder = True


def create_bidirectional_mask(attention_mask, dtype):
    expanded = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - expanded) * torch.finfo(dtype).min


def create_causal_mask(attention_mask, dtype):
    seq_len = attention_mask.shape[-1]
    causal = torch.ones(seq_len, seq_len).tril()[None, None]
    keep = causal * attention_mask[:, None, None, :].to(dtype)
    return (1.0 - keep) * torch.finfo(dtype).min


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_size = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        shape = lambda x: x.view(b, s, self.num_heads, self.head_size).transpose(1, 2)
        q, k, v = shape(self.query(hidden_states)), shape(self.key(hidden_states)), shape(self.value(hidden_states))
        scores = q @ k.transpose(-1, -2) / self.head_size ** 0.5 + attention_mask
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, -1)


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([RoFormerSelfAttention(config) for _ in range(config.num_hidden_layers)])
        self.cls = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        h = self.embeddings(input_ids)
        mask_fn = create_bidirectional_mask  # BUG
        extended = mask_fn(attention_mask, h.dtype)
        for layer in self.layers:
            h = h + layer(h, extended)
        logits = self.cls(h)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
        return loss, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoFormerForCausalLM(RoFormerConfig()).eval()
    ids = torch.randint(0, 60, (2, 10))
    with torch.no_grad():
        loss, logits = model(ids, labels=ids)
        edited = ids.clone()
        edited[:, 5:] = (edited[:, 5:] + 13) % 60
        leak = (model(edited)[1][:, :5] - logits[:, :5]).abs().max().item()
    print(f"future leak: max |d logits[:, :5]| after editing tokens 5.. = {leak:.4f}")
