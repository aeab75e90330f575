import torch
import torch.nn as nn


def generate_square_subsequent_mask(sz, device="cpu"):
    return torch.triu(torch.full((sz, sz), float("-inf"), device=device), diagonal=1)


class CausalTransformerDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory=None, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        if self.training:
            return super().forward(tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=memory_key_padding_mask)
        tgt_last_tok = tgt[-1:, :, :]
        tmp_tgt = self.self_attn(tgt_last_tok, tgt, tgt, attn_mask=None, key_padding_mask=tgt_key_padding_mask)[0]
        tgt_last_tok = self.norm1(tgt_last_tok + self.dropout1(tmp_tgt))
        if memory is not None:
            tmp_tgt = self.multihead_attn(tgt_last_tok, memory, memory, key_padding_mask=memory_key_padding_mask)[0]
            tgt_last_tok = self.norm2(tgt_last_tok + self.dropout2(tmp_tgt))
        tmp_tgt = self.linear2(self.dropout(self.activation(self.linear1(tgt_last_tok))))
        return self.norm3(tgt_last_tok + self.dropout3(tmp_tgt))


class CausalTransformerDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory=None, cache=None, memory_key_padding_mask=None):
        output = tgt
        if self.training:
            if cache is not None:
                raise ValueError("cache parameter should be None in training mode")
            for mod in self.layers:
                output = mod(output, memory, memory_key_padding_mask=memory_key_padding_mask)  # BUG
            return output
        new_token_cache = []
        for i, mod in enumerate(self.layers):
            output = mod(output, memory)
            new_token_cache.append(output)
            if cache is not None:
                output = torch.cat([cache[i], output], dim=0)
        new_cache = torch.stack(new_token_cache, dim=0) if cache is None else torch.cat([cache, torch.stack(new_token_cache, dim=0)], dim=1)
        return output, new_cache


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = CausalTransformerDecoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.0)
    decoder = CausalTransformerDecoder(layer, num_layers=2)
    memory = torch.randn(5, 2, 32)
    tgt = torch.randn(8, 2, 32)
    decoder.train()
    with torch.no_grad():
        full = decoder(tgt, memory)
        decoder.eval()
        cache, steps = None, []
        for t in range(tgt.size(0)):
            out, cache = decoder(tgt[: t + 1], memory, cache)
            steps.append(out[-1])
    incremental = torch.stack(steps)
    print(f"teacher-forced (train) vs incremental decoding max |diff| = {(full - incremental).abs().max().item():.4f}")
