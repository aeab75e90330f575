"""Causal transformer decoder with an incremental-decoding cache, in the style of
alex-matton/causal-transformer-decoder (seq-first nn.TransformerDecoder subclasses)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory=None, tgt_mask=None, **kwargs):
        if self.training:
            return super().forward(tgt, memory, tgt_mask=tgt_mask)
        # inference: only the last position is new; it may look at everything before it
        tgt_last_tok = tgt[-1:, :, :]
        tmp = self.self_attn(tgt_last_tok, tgt, tgt, attn_mask=None, key_padding_mask=None)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp))
        tmp = self.multihead_attn(tgt_last_tok, memory, memory)[0]
        tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp))
        tmp = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp))


class CausalTransformerDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory=None, cache=None):
        output = tgt
        if self.training:
            for mod in self.layers:
                output = mod(output, memory)  # BUG
            return output, None
        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        new_cache = torch.stack(new_token_cache, dim=0) if cache is None else torch.cat([cache, torch.stack(new_token_cache, dim=0)], dim=1)
        return output, new_cache


class Seq2Seq(nn.Module):
    def __init__(self, vocab=40, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 64), layers, enable_nested_tensor=False)
        self.decoder = CausalTransformerDecoder(CausalTransformerDecoderLayer(d_model, nhead, 64), layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, src, tgt):
        memory = self.encoder(self.embed(src))
        hidden, _ = self.decoder(self.embed(tgt), memory)
        return self.out(hidden)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(0, 40, (7, 3))   # (S, N)
    tgt = torch.randint(0, 40, (6, 3))   # (T, N)
    model.train()
    logits = model(src, tgt[:-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), tgt[1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("train loss", loss.item())
    model.eval()
    with torch.no_grad():
        memory = model.encoder(model.embed(src))
        out, cache = model.decoder(model.embed(tgt[:1]), memory)
        print(out.shape, cache.shape)
