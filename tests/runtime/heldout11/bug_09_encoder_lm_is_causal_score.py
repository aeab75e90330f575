# EXPECT: bug
"""Word-level LM on nn.TransformerEncoder (the classic tutorial model, batch_first). Training
passes an explicit causal mask; the perplexity scorer relies on the is_causal flag alone."""
import math

import torch
import torch.nn as nn


class TransformerLM(nn.Module):
    def __init__(self, ntoken, d_model=32, nhead=4, d_hid=64, nlayers=2, dropout=0.2):
        super().__init__()
        self.embedding = nn.Embedding(ntoken, d_model)
        self.pos = nn.Parameter(torch.randn(1, 64, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout, batch_first=True)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(d_model, ntoken)
        self.d_model = d_model
        self._mask_cache = {}

    def causal_mask(self, sz, device):
        if sz not in self._mask_cache:
            self._mask_cache[sz] = nn.Transformer.generate_square_subsequent_mask(sz, device=device)
        return self._mask_cache[sz]

    def embed(self, src):
        return self.embedding(src) * math.sqrt(self.d_model) + self.pos[:, : src.size(1)]

    def forward(self, src):
        mask = self.causal_mask(src.size(1), src.device)
        h = self.transformer_encoder(self.embed(src), mask, is_causal=True)
        return self.decoder(h)

    @torch.no_grad()
    def score(self, src):
        """Per-token log-likelihood of src[:, 1:] given its prefix (for perplexity)."""
        h = self.transformer_encoder(self.embed(src), is_causal=True)  # BUG-SITE
        logp = self.decoder(h).log_softmax(-1)[:, :-1]
        return logp.gather(-1, src[:, 1:, None]).squeeze(-1)


def run():
    torch.manual_seed(0)
    ntokens = 50
    model = TransformerLM(ntokens)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    data = torch.randint(0, ntokens, (4, 13))
    inp, tgt = data[:, :-1], data[:, 1:]
    model.train()
    out = model(inp)
    loss = nn.functional.cross_entropy(out.reshape(-1, ntokens), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
    model.eval()
    token_ll = model.score(data)
    ppl = torch.exp(-token_ll.mean())
    return [loss.detach(), token_ll, ppl]
