import torch
import torch.nn.functional as F


def attend_a(q, k, v, seqlens):
    """q, k, v: (B, H, T, D); seqlens: per row, the packed segments' lengths."""
    B, T = q.shape[0], q.shape[2]
    allowed = torch.zeros(B, T, T, dtype=torch.bool)
    for i, (row, segs) in enumerate(zip(allowed, seqlens)):
        start = 0
        for n in segs:
            row[start:start + n, start:start + n] = True
            start += n
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed[:, None])


def attend_b(q, k, v, lengths):
    B, T = q.shape[0], q.shape[2]
    allowed = torch.zeros(B, T, T, dtype=torch.bool)
    for row, n in zip(allowed.unbind(0), lengths):
        row[:n, :n].fill_(True)
        row.fill_diagonal_(True)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed.unsqueeze(1))


def attend_c(q, k, v, lengths):
    B, T = q.shape[0], q.shape[2]
    allowed = torch.zeros(B, T, T, dtype=torch.bool)
    for row, n in zip(allowed, lengths):
        row[:n, :n].fill_(True)
        row.fill_diagonal_(True)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed.unsqueeze(1))


def attend_d(q, k, v, lengths):
    B, T = q.shape[0], q.shape[2]
    allowed = torch.zeros(B, T, T, dtype=torch.bool)
    for b in range(B):
        n = lengths[b]
        allowed[b].diagonal().fill_(True)
        allowed[b, :n, :n] = True
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed.unsqueeze(1))


def attend_e(q, k, v, lengths):
    B, T = q.shape[0], q.shape[2]
    allowed = torch.eye(T, dtype=torch.bool).repeat(B, 1, 1)
    rows = allowed
    for row, n in zip(rows, lengths):
        row[:n, :n] = True
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed.unsqueeze(1))


if __name__ == "__main__":
    q = torch.randn(2, 4, 6, 8)
    print(attend_a(q, q, q, [[2, 4], [6]]).isnan().any())
    for f in (attend_b, attend_c, attend_d, attend_e):
        print(f(q, q, q, [3, 6]).isnan().any())
