import torch

from .masks import BOS_IDX, EOS_IDX, PAD_IDX


def greedy_decode(model, src, max_len, start_symbol=BOS_IDX):
    src_mask = torch.zeros(src.size(0), src.size(0), dtype=torch.bool)
    src_padding_mask = (src == PAD_IDX).transpose(0, 1)
    memory = model.encode(src, src_mask, src_padding_mask)
    ys = torch.full((1, src.size(1)), start_symbol, dtype=torch.long)
    for _ in range(max_len - 1):
        n = ys.size(0)
        tgt_mask = torch.tril(torch.ones(n, n, dtype=torch.bool))
        out = model.decode(ys, memory, tgt_mask, src_padding_mask)  # BUG: tril keep mask as tgt_mask; nn.TransformerDecoder blocks True
        prob = model.generator(out[-1])
        next_word = prob.argmax(dim=-1)
        ys = torch.cat([ys, next_word[None]], dim=0)
        if (next_word == EOS_IDX).all():
            break
    return ys
