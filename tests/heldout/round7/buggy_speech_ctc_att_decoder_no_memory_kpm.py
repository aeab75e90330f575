"""Joint CTC / attention ASR model (hybrid recipe): a Transformer encoder over
filterbank frames, a CTC head, and an autoregressive attention decoder, with a
tiny training step."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SOS_EOS = 1
IGNORE_ID = -1
BLANK = 0


def lengths_to_padding_mask(lens, max_len):
    return torch.arange(max_len, device=lens.device).expand(len(lens), max_len) >= lens.unsqueeze(1)


def add_sos_eos(ys_pad, ignore_id=IGNORE_ID):
    ys = [y[y != ignore_id] for y in ys_pad]
    sos = torch.tensor([SOS_EOS])
    ys_in = [torch.cat([sos, y]) for y in ys]
    ys_out = [torch.cat([y, sos]) for y in ys]
    ys_in = nn.utils.rnn.pad_sequence(ys_in, batch_first=True, padding_value=SOS_EOS)
    ys_out = nn.utils.rnn.pad_sequence(ys_out, batch_first=True, padding_value=ignore_id)
    return ys_in, ys_out


class HybridASR(nn.Module):
    def __init__(self, idim=16, vocab=12, d=32, heads=4, ctc_weight=0.3):
        super().__init__()
        self.ctc_weight = ctc_weight
        self.front = nn.Linear(idim, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 64, dropout=0.0, batch_first=True), 2,
            enable_nested_tensor=False)
        self.ctc_lo = nn.Linear(d, vocab)
        self.tok_embed = nn.Embedding(vocab, d)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, heads, 64, dropout=0.0, batch_first=True), 2)
        self.out = nn.Linear(d, vocab)

    def encode(self, feats, feat_lens):
        src_pad = lengths_to_padding_mask(feat_lens, feats.size(1))
        memory = self.encoder(self.front(feats), src_key_padding_mask=src_pad)
        return memory, src_pad

    def attention_logits(self, memory, ys_in, ys_in_lens):
        causal = nn.Transformer.generate_square_subsequent_mask(ys_in.size(1), dtype=torch.bool)
        ys_pad_mask = lengths_to_padding_mask(ys_in_lens, ys_in.size(1))
        dec_out = self.decoder(  # expect: ML502
            self.tok_embed(ys_in),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=ys_pad_mask,
        )
        return self.out(dec_out)

    def forward(self, feats, feat_lens, ys_pad, ys_lens):
        memory, src_pad = self.encode(feats, feat_lens)
        log_probs = self.ctc_lo(memory).log_softmax(-1).transpose(0, 1)
        loss_ctc = F.ctc_loss(log_probs, ys_pad.clamp(min=0), feat_lens, ys_lens, blank=BLANK, zero_infinity=True)
        ys_in, ys_out = add_sos_eos(ys_pad)
        logits = self.attention_logits(memory, ys_in, ys_lens + 1)
        loss_att = F.cross_entropy(logits.reshape(-1, logits.size(-1)), ys_out.reshape(-1), ignore_index=IGNORE_ID)
        return self.ctc_weight * loss_ctc + (1 - self.ctc_weight) * loss_att, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HybridASR()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    feats = torch.randn(2, 20, 16)
    feat_lens = torch.tensor([20, 11])
    ys_pad = torch.tensor([[3, 4, 5, 6], [7, 8, IGNORE_ID, IGNORE_ID]])
    ys_lens = torch.tensor([4, 2])
    loss, _ = model(feats, feat_lens, ys_pad, ys_lens)
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        _, logits_a = model(feats, feat_lens, ys_pad, ys_lens)
        noisy = feats.clone()
        noisy[1, 11:] = torch.randn(9, 16) * 4  # frames past utt 1's length
        _, logits_b = model(noisy, feat_lens, ys_pad, ys_lens)
    diff = (logits_a[1] - logits_b[1]).abs().max().item()
    print("decoder logits of utt 1 moved by its padded frames:", diff)
    assert diff > 1e-3
