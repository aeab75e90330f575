"""Sign-language translation: pose-keypoint frames in, spoken-language words out."""
import torch
from torch import nn

N_KEYPOINTS, WORDS, PAD = 54, 2500, 0


class PoseToText(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2):
        super().__init__()
        self.frames = nn.Sequential(nn.Linear(2 * N_KEYPOINTS, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.words = nn.Embedding(WORDS, dim, padding_idx=PAD)
        self.pos = nn.Embedding(512, dim)
        self.core = nn.Transformer(dim, heads, layers, layers, 2 * dim, dropout=0.0, batch_first=True)
        self.out = nn.Linear(dim, WORDS)

    def forward(self, poses, words_in, frame_pad, word_pad):
        src = self.frames(poses.flatten(2)) + self.pos(torch.arange(poses.size(1), device=poses.device))
        tgt = self.words(words_in) + self.pos(torch.arange(words_in.size(1), device=words_in.device))
        n = words_in.size(1)
        causal = self.core.generate_square_subsequent_mask(n, device=words_in.device, dtype=torch.bool)
        h = self.core(src, tgt, tgt_mask=causal, src_key_padding_mask=frame_pad,
                      tgt_key_padding_mask=word_pad, memory_key_padding_mask=frame_pad)
        return self.out(h)


def collate(samples):
    n_frames = max(p.size(0) for p, _ in samples)
    n_words = max(len(w) for _, w in samples)
    poses = torch.zeros(len(samples), n_frames, N_KEYPOINTS, 2)
    words = torch.full((len(samples), n_words), PAD)
    for i, (p, w) in enumerate(samples):
        poses[i, :p.size(0)] = p
        words[i, :len(w)] = torch.tensor(w)
    frame_pad = torch.arange(n_frames)[None] >= torch.tensor([p.size(0) for p, _ in samples])[:, None]
    return poses, words, frame_pad, words == PAD


def train_step(model, opt, samples):
    poses, words, frame_pad, word_pad = collate(samples)
    logits = model(poses, words[:, :-1], word_pad[:, :-1], frame_pad)  # expect: ML503
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), words[:, 1:], ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    samples = [(torch.randn(9, N_KEYPOINTS, 2), [1, 40, 41, 42, 2]),
               (torch.randn(6, N_KEYPOINTS, 2), [1, 77, 2])]
    model = PoseToText()
    opt = torch.optim.Adam(model.parameters(), 1e-4)
    print(train_step(model, opt, samples))
