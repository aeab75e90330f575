"""Interactive completion: top-k sampling, one byte at a time."""
import torch

from .model import EOL, LogLineModel, decode, encode, lm_step


@torch.no_grad()
def complete(model, typed, max_bytes=40, top_k=8, temperature=0.8):
    model.eval()
    ids = encode([typed])[:, :-1]
    for _ in range(max_bytes):
        window = ids[:, -model.ctx:]
        logits = model(window, train_mode=False)[:, -1] / temperature  # expect: ML401
        top = logits.topk(top_k)
        choice = top.indices.gather(1, torch.multinomial(top.values.softmax(-1), 1))
        ids = torch.cat([ids, choice], dim=1)
        if choice.item() == EOL:
            break
    return decode(ids[0].tolist())


LOGS = [
    "sshd[2231]: Accepted publickey for deploy from 10.0.4.17 port 52144",
    "kernel: [ 9.118] EXT4-fs (sda1): mounted filesystem with ordered data mode",
    "systemd[1]: Started Daily apt upgrade and clean activities.",
    "CRON[8812]: (root) CMD (test -x /usr/sbin/anacron || run-parts --report /etc/cron.daily)",
]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LogLineModel()
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    batch = encode(LOGS)
    for _ in range(5):
        lm_step(model, opt, batch)
    print(complete(model, "sshd[2231]: Accepted "))
