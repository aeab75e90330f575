import torch
import torch.nn as nn


def length_to_mask(length, max_len=None):
    max_len = max_len or int(length.max().item())
    return (torch.arange(max_len)[None, :] < length[:, None]).long()


def get_lookahead_mask(padded_input):
    seq_len = padded_input.shape[1]
    mask = (torch.triu(torch.ones((seq_len, seq_len))) == 1).transpose(0, 1)
    return mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))


class TransformerASR(nn.Module):
    def __init__(self, tgt_vocab=20, d_model=16, nhead=2, num_decoder_layers=2):
        super().__init__()
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_decoder_layers)

    @torch.no_grad()
    def decode(self, tgt, encoder_out, enc_len=None):
        """Autoregressive decoding step used by the (batched) beam searcher."""
        tgt_mask = get_lookahead_mask(tgt)
        src_key_padding_mask = None
        if enc_len is not None:
            src_key_padding_mask = (1 - length_to_mask(enc_len, encoder_out.shape[1])).bool()
        tgt = self.custom_tgt_module(tgt)
        prediction = self.decoder(
            tgt,
            encoder_out,
            tgt_mask=tgt_mask,
            memory_key_padding_mask=src_key_padding_mask,  # BUG
        )
        return prediction


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerASR().eval()
    enc_len = torch.tensor([7, 4])
    encoder_out = torch.randn(2, 7, 16)
    encoder_out[1, 4:] = 0.0
    hyps = torch.tensor([[1, 5, 6], [1, 8, 9]])
    batched = model.decode(hyps, encoder_out, enc_len=enc_len)
    alone = model.decode(hyps[1:], encoder_out[1:, :4], enc_len=enc_len[1:])
    print(f"short utterance: batched vs unpadded decode diff: {(batched[1] - alone[0]).abs().max().item():.4f}")
