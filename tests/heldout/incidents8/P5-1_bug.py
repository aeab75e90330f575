import torch
import torch.nn as nn


def length_to_mask(length, max_len=None):
    max_len = max_len or int(length.max().item())
    return torch.arange(max_len, device=length.device)[None, :] < length[:, None]


class TransformerASR(nn.Module):
    def __init__(self, input_size=20, tgt_vocab=30, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.custom_src_module = nn.Linear(input_size, d_model)
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 64, batch_first=True), num_layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 64, batch_first=True), num_layers)
        self.out = nn.Linear(d_model, tgt_vocab)

    def make_masks(self, src, wav_len):
        abs_len = torch.round(wav_len * src.shape[1])
        src_key_padding_mask = ~length_to_mask(abs_len, src.shape[1]).bool()
        return src_key_padding_mask

    def encode(self, src, wav_len=None):
        src_key_padding_mask = self.make_masks(src, wav_len) if wav_len is not None else None
        return self.encoder(self.custom_src_module(src), src_key_padding_mask=src_key_padding_mask)

    def decode(self, tgt, encoder_out, enc_len=None):  # BUG
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1], device=tgt.device)
        tgt = self.custom_tgt_module(tgt)
        prediction = self.decoder(tgt, encoder_out, tgt_mask=tgt_mask)  # BUG
        return self.out(prediction)


@torch.no_grad()
def batched_greedy_search(model, wavs, wav_lens, bos=1, max_steps=5):
    enc_states = model.encode(wavs, wav_lens)
    enc_lens = torch.round(enc_states.shape[1] * wav_lens).int()
    tokens = torch.full((wavs.shape[0], 1), bos, dtype=torch.long)
    for _ in range(max_steps):
        logits = model.decode(tokens, enc_states, enc_lens)
        tokens = torch.cat([tokens, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return tokens


if __name__ == "__main__":
    model = TransformerASR().eval()
    wavs = torch.randn(3, 16, 20)
    wav_lens = torch.tensor([1.0, 0.75, 0.5])
    print(batched_greedy_search(model, wavs, wav_lens).shape)
