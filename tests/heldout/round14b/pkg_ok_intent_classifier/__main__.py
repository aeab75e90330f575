import torch

from .batching import INTENTS, build_vocab, collate
from .classifier import IntentClassifier

DATA = [("wake me up at seven", "set_alarm"), ("play some jazz", "play_music"),
        ("will it rain tomorrow in oslo", "weather"), ("set a timer for ten minutes", "timer"),
        ("call mum", "call"), ("play the new album by the band", "play_music")]

torch.manual_seed(0)
vocab = build_vocab([t for t, _ in DATA])
examples = [([vocab[w] for w in t.split()], INTENTS.index(y)) for t, y in DATA]
model = IntentClassifier(len(vocab) + 2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    batch = collate(examples)
    _, loss = model(**batch)
    opt.zero_grad()
    loss.backward()
    opt.step()
model.eval()
with torch.no_grad():
    pred = model(**{k: v for k, v in collate(examples).items() if k != "labels"}).argmax(-1)
print("loss", round(loss.item(), 3), "pred", [INTENTS[i] for i in pred.tolist()])
