"""BPE benchmark: train to 8,192 tokens and encode, minigrpo against 🤗 tokenizers' BpeTrainer in the same run.

The ≥10 MB corpus is synthesised deterministically from wordfreq's English and Chinese word lists (words drawn by
frequency, English sentences and Chinese clauses, numbers mixed in), so it needs no download at run time:
    pip install wordfreq && OMP_NUM_THREADS=1 python bench/bpe.py [--mb 10]
Prints one JSON line per measurement."""
import argparse, json, os, platform, random, sys, time
from itertools import accumulate

def log(**kw): print(json.dumps(kw, ensure_ascii=False), flush=True)

def make_corpus(mb: float, seed: int = 0) -> list:
    "Lines of mixed English and Chinese text, about `mb` megabytes of UTF-8 in all."
    from wordfreq import get_frequency_dict
    rng = random.Random(seed)
    def sampler(lang, n=50_000):
        items = sorted(get_frequency_dict(lang).items(), key=lambda kv: -kv[1])[:n]
        words, cum = [w for w, _ in items], list(accumulate(f for _, f in items))
        return lambda k: rng.choices(words, cum_weights=cum, k=k)
    en, zh = sampler("en"), sampler("zh")
    def number(): return str(rng.choice([rng.randint(0, 99), rng.randint(100, 9999), rng.randint(10_000, 10**7)]))
    def en_sentence():
        ws = en(rng.randint(6, 22))
        if rng.random() < 0.3: ws.insert(rng.randrange(len(ws)), number())
        return " ".join(ws).capitalize() + rng.choice([".", ".", ".", "?", "!", ","])
    def zh_sentence():
        clauses = ["".join(zh(rng.randint(2, 8))) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.3: clauses[-1] += number() + rng.choice(["元", "个", "年", "公里"])
        return "，".join(clauses) + rng.choice(["。", "。", "？", "！"])
    lines, size, target = [], 0, mb * 1e6
    while size < target:
        line = (" ".join(en_sentence() for _ in range(rng.randint(2, 6))) if rng.random() < 0.5
                else "".join(zh_sentence() for _ in range(rng.randint(2, 6))))
        lines.append(line); size += len(line.encode("utf-8")) + 1
    return lines

def hf_train(lines, vocab_size, pattern):
    from tokenizers import Tokenizer, Regex, models, pre_tokenizers, trainers
    t = Tokenizer(models.BPE())
    t.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(pattern), behavior="isolated"),
                                               pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    t.train_from_iterator(lines, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<|endoftext|>"],
                          initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    return t

def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--mb", type=float, default=10); ap.add_argument("--vocab", type=int, default=8192)
    a = ap.parse_args()
    from minigrpo.bpe import BPETokenizer, GPT4_SPLIT_PATTERN
    import tokenizers
    log(what="machine", cpus=os.cpu_count(), python=platform.python_version(), tokenizers=tokenizers.__version__,
        processor=platform.processor() or platform.machine())
    t = time.perf_counter(); lines = make_corpus(a.mb); nbytes = sum(len(l.encode()) + 1 for l in lines)
    log(what="corpus", mb=round(nbytes / 1e6, 2), lines=len(lines), seconds=round(time.perf_counter() - t, 1))
    text = "\n".join(lines)

    t = time.perf_counter(); hf = hf_train(lines, a.vocab, GPT4_SPLIT_PATTERN); hf_s = time.perf_counter() - t
    t = time.perf_counter(); ours = BPETokenizer.train(lines, a.vocab, ["<|endoftext|>"]); our_s = time.perf_counter() - t
    log(what="train", vocab_size=a.vocab, hf_s=round(hf_s, 2), minigrpo_s=round(our_s, 2), ratio=round(our_s / hf_s, 2),
        goal="ratio <= 3")

    t = time.perf_counter(); hf_ids = [e.ids for e in hf.encode_batch(lines)]; hf_e = time.perf_counter() - t
    t = time.perf_counter(); our_ids = ours.encode_batch(lines); our_e = time.perf_counter() - t
    hf_n, our_n = sum(map(len, hf_ids)), sum(map(len, our_ids))
    log(what="encode_batch", hf_mb_per_s=round(nbytes / 1e6 / hf_e, 2), minigrpo_mb_per_s=round(nbytes / 1e6 / our_e, 2),
        ratio=round(hf_e / our_e, 2), goal="ratio >= 0.5", hf_bytes_per_token=round(nbytes / hf_n, 3),
        minigrpo_bytes_per_token=round(nbytes / our_n, 3))
    hf_single = ours.to_hf()
    sample = text[:2_000_000]
    t = time.perf_counter(); n1 = len(hf_single(sample, add_special_tokens=False)["input_ids"]); hf1 = time.perf_counter() - t
    ours._cache.clear()
    t = time.perf_counter(); n2 = len(ours.encode(sample)); our1 = time.perf_counter() - t
    log(what="encode_one_string", mb=round(len(sample.encode()) / 1e6, 2), same_ids=n1 == n2,
        hf_mb_per_s=round(len(sample.encode()) / 1e6 / hf1, 2), minigrpo_mb_per_s=round(len(sample.encode()) / 1e6 / our1, 2))

if __name__ == "__main__": main()
