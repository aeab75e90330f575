"""Video moment-retrieval encoder in the style of line/lighthouse (CIM / QD-DETR family):
clip features attend to query-text tokens through a seq-first cross-attention layer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class T2V_TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src, src_mask, pos, video_length):
        # src: [L_vid + L_txt, batch, d]; src_mask: [batch, L_vid + L_txt], True = valid
        pos_src = src + pos
        q = pos_src[:video_length]
        k = pos_src[video_length:]
        v = src[video_length:]
        qmask = src_mask[:, :video_length].unsqueeze(2)
        kmask = src_mask[:, video_length:].unsqueeze(1)
        attn_mask = ~(qmask.int() & kmask.int()).bool()
        attn_mask = attn_mask & qmask.bool()
        attn_mask = attn_mask.repeat(self.nhead, 1, 1)  # BUG
        src2 = self.self_attn(q, k, value=v, attn_mask=attn_mask)[0]  # BUG
        src2 = src[:video_length] + self.dropout(src2)
        src3 = self.norm1(src2)
        src3 = self.norm2(src3 + self.linear2(F.relu(self.linear1(src3))))
        return torch.cat([src3, src[video_length:]])


class MomentDETREncoder(nn.Module):
    def __init__(self, v_dim=48, t_dim=40, hidden=32, nhead=4):
        super().__init__()
        self.input_vid_proj = nn.Linear(v_dim, hidden)
        self.input_txt_proj = nn.Linear(t_dim, hidden)
        self.t2v = T2V_TransformerEncoderLayer(hidden, nhead)
        self.saliency_proj = nn.Linear(hidden, 1)

    def forward(self, src_vid, src_vid_mask, src_txt, src_txt_mask):
        vid = self.input_vid_proj(src_vid)
        txt = self.input_txt_proj(src_txt)
        src = torch.cat([vid, txt], dim=1).permute(1, 0, 2)
        mask = torch.cat([src_vid_mask, src_txt_mask], dim=1).bool()
        pos = torch.zeros_like(src)
        memory = self.t2v(src, mask, pos, video_length=src_vid.shape[1])
        vid_mem = memory[: src_vid.shape[1]].transpose(0, 1)
        return self.saliency_proj(vid_mem).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MomentDETREncoder()
    src_vid = torch.randn(2, 10, 48)
    src_vid_mask = torch.ones(2, 10)
    src_txt = torch.randn(2, 7, 40)
    src_txt_mask = torch.tensor([[1.0] * 7, [1.0] * 3 + [0.0] * 4])
    saliency = model(src_vid, src_vid_mask, src_txt, src_txt_mask)
    target = torch.rand(2, 10)
    loss = F.mse_loss(torch.sigmoid(saliency), target)
    loss.backward()
    print("loss", loss.item())
