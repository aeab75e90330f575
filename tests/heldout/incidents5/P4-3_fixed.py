"""Causal transformer decoder with cached incremental generation."""
import torch
import torch.nn as nn


class CausalTransformerDecoder(nn.TransformerDecoder):
    """Decoder whose generate() re-uses outputs of previous steps (cache as list of tensors)."""

    def forward(self, tgt, memory=None, cache=None, memory_key_padding_mask=None, step=None):
        output = tgt
        if self.training:
            tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0), device=tgt.device)
            for mod in self.layers:
                output = mod(output, memory, tgt_mask=tgt_mask,
                             memory_key_padding_mask=memory_key_padding_mask)
            return output, None
        new_cache = []
        for i, mod in enumerate(self.layers):
            # only the last position is computed; its query attends to every earlier position
            last = output[-1:]
            sa = mod.self_attn(last, output, output, need_weights=False)[0]
            last = mod.norm1(last + mod.dropout1(sa))
            ca = mod.multihead_attn(last, memory, memory, key_padding_mask=memory_key_padding_mask,
                                    need_weights=False)[0]
            last = mod.norm2(last + mod.dropout2(ca))
            last = mod.norm3(last + mod._ff_block(last))
            last = last if cache is None else torch.cat([cache[i], last], dim=0)
            new_cache.append(last)
            output = last
        return output, new_cache


class Captioner(nn.Module):
    def __init__(self, vocab=60, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.img_proj = nn.Linear(64, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 64, 0.0)
        self.decoder = CausalTransformerDecoder(layer, layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, img_feats, tokens):
        memory = self.img_proj(img_feats).transpose(0, 1)
        h, _ = self.decoder(self.emb(tokens).transpose(0, 1), memory)
        return self.out(h).transpose(0, 1)

    @torch.no_grad()
    def generate(self, img_feats, bos=1, max_len=8):
        memory = self.img_proj(img_feats).transpose(0, 1)
        tokens = torch.full((1, img_feats.shape[0]), bos, dtype=torch.long)
        cache = None
        for step in range(max_len):
            h, cache = self.decoder(self.emb(tokens), memory, cache=cache, step=step)
            nxt = self.out(h[-1]).argmax(-1)
            tokens = torch.cat([tokens, nxt[None]], dim=0)
        return tokens.t()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Captioner()
    img, tok = torch.randn(2, 5, 64), torch.randint(0, 60, (2, 7))
    logits = model(img, tok)
    loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, 60), tok[:, 1:].reshape(-1))
    loss.backward()
    model.eval()
    print("loss", round(loss.item(), 3), model.generate(img).shape)
