import torch
import torch.nn as nn


def make_pad_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]


class TransformerASR(nn.Module):
    def __init__(self, n_mels=80, vocab=5000, d_model=256, nhead=4, num_encoder_layers=6, num_decoder_layers=3):
        super().__init__()
        self.frontend = nn.Linear(n_mels, d_model)
        self.tok_emb = nn.Embedding(vocab, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_encoder_layers)
        self.decoder = nn.TransformerDecoder(dec_layer, num_decoder_layers)
        self.out = nn.Linear(d_model, vocab)

    def encode(self, feats: torch.Tensor, feat_lens: torch.Tensor) -> torch.Tensor:
        src_pad = make_pad_mask(feat_lens, feats.size(1))
        return self.encoder(self.frontend(feats), src_key_padding_mask=src_pad)

    def decode(self, tokens: torch.Tensor, encoder_out: torch.Tensor, enc_lens: torch.Tensor) -> torch.Tensor:
        T = tokens.size(1)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(T, device=tokens.device)
        memory_pad = make_pad_mask(enc_lens, encoder_out.size(1))
        h = self.decoder(self.tok_emb(tokens), encoder_out, tgt_mask=tgt_mask,
                         memory_key_padding_mask=memory_pad)
        return self.out(h[:, -1]).log_softmax(-1)


@torch.no_grad()
def batched_greedy_search(model: TransformerASR, feats, feat_lens, bos=1, eos=2, max_len=50):
    enc = model.encode(feats, feat_lens)
    hyps = torch.full((feats.size(0), 1), bos, dtype=torch.long)
    for _ in range(max_len):
        logp = model.decode(hyps, enc, feat_lens)
        hyps = torch.cat([hyps, logp.argmax(-1, keepdim=True)], dim=1)
        if (hyps[:, -1] == eos).all():
            break
    return hyps


if __name__ == "__main__":
    model = TransformerASR().eval()
    feats = torch.randn(3, 200, 80)
    lens = torch.tensor([200, 120, 64])
    print(batched_greedy_search(model, feats, lens, max_len=5))
