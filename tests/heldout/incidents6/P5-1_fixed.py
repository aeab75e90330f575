"""Speech recognizer: transformer encoder-decoder with batched greedy/beam decoding over padded audio."""
import torch
import torch.nn as nn


def make_pad_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]


class TransformerASR(nn.Module):
    def __init__(self, n_feats=20, d_model=32, nhead=4, num_layers=2, vocab=30):
        super().__init__()
        self.frontend = nn.Linear(n_feats, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 64, batch_first=True), num_layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 64, batch_first=True), num_layers)
        self.tok_emb = nn.Embedding(vocab, d_model)
        self.out = nn.Linear(d_model, vocab)

    def encode(self, feats, feat_lens):
        src_key_padding_mask = make_pad_mask(feat_lens, feats.size(1))
        return self.encoder(self.frontend(feats), src_key_padding_mask=src_key_padding_mask)

    def decode(self, tgt, encoder_out, enc_len):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        memory_key_padding_mask = make_pad_mask(enc_len, encoder_out.size(1))
        prediction = self.decoder(
            self.tok_emb(tgt), encoder_out, tgt_mask=tgt_mask, memory_key_padding_mask=memory_key_padding_mask
        )
        return self.out(prediction)


@torch.no_grad()
def greedy_search(model, feats, feat_lens, bos=1, eos=2, max_len=6):
    enc = model.encode(feats, feat_lens)
    hyps = torch.full((feats.size(0), 1), bos, dtype=torch.long)
    for _ in range(max_len):
        logits = model.decode(hyps, enc, feat_lens)
        hyps = torch.cat([hyps, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return hyps


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerASR().eval()
    feats = torch.randn(3, 15, 20)
    feat_lens = torch.tensor([15, 11, 6])
    print(greedy_search(model, feats, feat_lens))
