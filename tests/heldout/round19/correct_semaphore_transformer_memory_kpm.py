"""Decodes flag-semaphore arm positions (from a pose tracker) into letters with nn.Transformer."""
import torch
import torch.nn as nn

ARM_ANGLES = 8  # 45-degree steps per arm
N_POSES = ARM_ANGLES * ARM_ANGLES
POSE_PAD = N_POSES
LETTERS = ["<pad>", "<s>", "</s>", "<num>"] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]
PAD, BOS, EOS = 0, 1, 2


class SemaphoreReader(nn.Module):
    def __init__(self, d_model=64, nhead=4, layers=2, max_len=64):
        super().__init__()
        self.pose = nn.Embedding(N_POSES + 1, d_model, padding_idx=POSE_PAD)
        self.letter = nn.Embedding(len(LETTERS), d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        self.core = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=layers, num_decoder_layers=layers, dim_feedforward=128, batch_first=True)
        self.proj = nn.Linear(d_model, len(LETTERS))

    def embed(self, table, ids):
        return table(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, poses, letters):
        pose_pad = poses.eq(POSE_PAD)
        letter_pad = letters.eq(PAD)
        future = self.core.generate_square_subsequent_mask(letters.size(1), device=letters.device)
        h = self.core(
            self.embed(self.pose, poses),
            self.embed(self.letter, letters),
            tgt_mask=future,
            src_key_padding_mask=pose_pad,
            tgt_key_padding_mask=letter_pad,
            memory_key_padding_mask=pose_pad,
        )
        return self.proj(h)


@torch.no_grad()
def read(model, poses, max_letters=20):
    model.eval()
    out = torch.full((poses.size(0), 1), BOS, dtype=torch.long)
    for _ in range(max_letters):
        nxt = model(poses, out)[:, -1].argmax(-1, keepdim=True)
        out = torch.cat([out, nxt], 1)
        if (nxt == EOS).all():
            break
    return out


if __name__ == "__main__":
    poses = torch.tensor([[3, 17, 40, POSE_PAD], [9, 9, 12, 63]])
    print(read(SemaphoreReader(), poses))
