import torch
import torch.nn as nn


def make_transformer_src_mask_from_lens(enc_len, max_len):
    return torch.arange(max_len)[None, :] >= enc_len[:, None]


class TransformerASR(nn.Module):
    def __init__(self, n_feats=20, d_model=32, nhead=4, vocab=30):
        super().__init__()
        self.custom_src_module = nn.Linear(n_feats, d_model)
        self.custom_tgt_module = nn.Embedding(vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0, batch_first=True), 1, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 64, 0.0, batch_first=True), 1)
        self.ctc_lin = nn.Linear(d_model, vocab)
        self.seq_lin = nn.Linear(d_model, vocab)

    def encode(self, src, wav_lens):
        src_key_padding_mask = make_transformer_src_mask_from_lens(wav_lens, src.shape[1])
        return self.encoder(self.custom_src_module(src), src_key_padding_mask=src_key_padding_mask)

    def decode(self, tgt, encoder_out, enc_len=None):
        tgt_mask = torch.triu(torch.ones(tgt.shape[1], tgt.shape[1], dtype=torch.bool), 1)
        src_key_padding_mask = None
        if enc_len is not None:
            src_key_padding_mask = make_transformer_src_mask_from_lens(enc_len, encoder_out.shape[1])
        prediction = self.decoder(self.custom_tgt_module(tgt), encoder_out, tgt_mask=tgt_mask)  # BUG
        return self.seq_lin(prediction)


@torch.no_grad()
def batched_greedy_search(model, feats, lens, bos=1, steps=4):
    enc = model.encode(feats, lens)
    hyps = torch.full((feats.shape[0], 1), bos)
    scores = []
    for _ in range(steps):
        logp = model.decode(hyps, enc, lens).log_softmax(-1)[:, -1]
        scores.append(logp)
        hyps = torch.cat([hyps, logp.argmax(-1, keepdim=True)], dim=1)
    return hyps, torch.stack(scores, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerASR().eval()
    feats = torch.randn(2, 12, 20)
    lens = torch.tensor([12, 7])
    feats[1, 7:] = 0.0
    _, batched_scores = batched_greedy_search(model, feats, lens)
    _, solo_scores = batched_greedy_search(model, feats[1:, :7], lens[1:])
    gap = (batched_scores[1] - solo_scores[0]).abs().max().item()
    print(f"utterance 1 decoder log-probs: |batched (padded) - alone| = {gap:.4f}")
