"""GRPO step time: minigrpo's trainer against TRL's GRPOTrainer, same 🤗 model and settings, same run.

GPU (default): a 27.6M-parameter Qwen2-shaped model (hidden 512, 8 layers, 8 heads, intermediate 1536, tied
embeddings, the baseline's own small BPE vocabulary), 64 completions per step (8 prompts × 8) of up to 128 tokens,
bf16, no vLLM.
CPU (--cpu): the machine every developer and CI has, one torch thread: a Qwen2-shaped model of a few million
parameters (hidden 192, 4 layers, 4 heads, intermediate 576; --hidden and --layers change it), 32 completions per step
(4 prompts × 8) of up to 64 tokens, float32.
Both trainers get the same 🤗 model (same initial weights), prompts, reward function, group size, completion length
and learning rate. minigrpo runs as a user would pick it: `fast_rollouts=True` (a minigrpo GPT copy, synced every
step, samples; the 🤗 model trains), plus `cuda_graph=True` on a GPU. Each run times `--steps` steps after one
warm-up step, and splits a step into generation and the rest.
    python bench/grpo.py [--steps 4] [--cpu [--hidden 192 --layers 4]] [--smoke]
One JSON line per measurement; the last has "speedup" = TRL seconds per step / minigrpo seconds per step."""
import json, sys, tempfile, time, warnings
from pathlib import Path
import torch

def log(**kw): print(json.dumps(kw), flush=True)

def arg(name, default):
    return type(default)(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

def setup(size: dict):
    "The baseline's tokenizer (🤗 BpeTrainer asked for 2,000 tokens; this text allows about 650), model config and prompts."
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config
    text = [f"Q: what is {a} plus {b}? A: {a+b}" for a in range(200) for b in range(0, 200, 7)]
    tk = Tokenizer(models.BPE()); tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False); tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator(text, trainers.BpeTrainer(vocab_size=2000, special_tokens=["<|endoftext|>"],
                                                     initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, eos_token="<|endoftext|>", pad_token="<|endoftext|>")
    cfg = Qwen2Config(vocab_size=len(tok), **size, max_position_embeddings=1024, eos_token_id=tok.eos_token_id,
                      pad_token_id=tok.pad_token_id, tie_word_embeddings=True)
    prompts = [{"prompt": f"Q: what is {i} plus {i+3}? A:"} for i in range(256)]
    return tok, cfg, prompts

def reward_len(completions, **kw): return [-abs(50 - len(c)) / 50 for c in completions]

def timed(obj, name, store):
    "Wrap `obj.name` so that each call's seconds are appended to `store`."
    inner = getattr(obj, name)
    def wrapper(*a, **kw):
        t0 = time.perf_counter(); out = inner(*a, **kw); store.append(time.perf_counter() - t0); return out
    setattr(obj, name, wrapper)

def fresh_model(cfg):
    from transformers import Qwen2ForCausalLM
    torch.manual_seed(0)
    return Qwen2ForCausalLM(cfg)

def trl_run(tok, cfg, prompts, steps, run):
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer
    args = GRPOConfig(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=run["batch"], num_generations=8,
                      max_completion_length=run["length"], max_steps=steps + 1, logging_steps=1, bf16=run["bf16"], use_cpu=run["cpu"],
                      report_to=[], learning_rate=1e-5, save_strategy="no", temperature=1.0, disable_tqdm=True)
    tr = GRPOTrainer(model=fresh_model(cfg), reward_funcs=[reward_len], args=args, train_dataset=Dataset.from_list(prompts), processing_class=tok)
    gen = []
    timed(tr, "_generate", gen)
    tr.train()
    times = [h["step_time"] for h in tr.state.log_history if "step_time" in h][1:]  # drop the warm-up step
    lengths = [h["completions/mean_length"] for h in tr.state.log_history if "step_time" in h][1:]
    return sum(times) / len(times), sum(gen[1:]) / len(gen[1:]), sum(lengths) / len(lengths)

def minigrpo_run(tok, cfg, prompts, steps, run, **settings):
    from minigrpo.trainer import GRPOConfig, GRPOTrainer
    tr = GRPOTrainer(fresh_model(cfg), tok, [reward_len], prompts,
                     GRPOConfig(max_steps=steps + 1, prompts_per_step=run["batch"] // 8, num_generations=8, max_completion_length=run["length"],
                                learning_rate=1e-5, ckpt_every=0, log_samples_every=0, device="cpu" if run["cpu"] else "cuda",
                                micro_batch_size=run["batch"], **settings),
                     out_dir=Path(tempfile.mkdtemp())/"run")
    gen = []
    timed(tr, "rollout", gen)
    hist = tr.train(progress=False)
    times = [h["step_time"] for h in hist][1:]
    lengths = [h["completions/mean_length"] for h in hist][1:]
    return sum(times) / len(times), sum(gen[1:]) / len(gen[1:]), sum(lengths) / len(lengths)

if __name__ == "__main__":

    smoke, cpu = "--smoke" in sys.argv, "--cpu" in sys.argv  # --smoke: the GPU path's code on CPU with a tiny model, to check it runs
    if not (smoke or cpu) and not torch.cuda.is_available(): sys.exit("bench/grpo.py needs a CUDA GPU (or --cpu, or --smoke)")
    if cpu or smoke: torch.set_num_threads(1)
    steps = arg("--steps", 1 if smoke else 4)
    warnings.filterwarnings("ignore")
    if smoke: size, run = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2), dict(batch=64, length=16)
    elif cpu:
        hidden, layers = arg("--hidden", 192), arg("--layers", 4)
        size, run = dict(hidden_size=hidden, intermediate_size=3 * hidden, num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=4), dict(batch=32, length=64)
    else: size, run = dict(hidden_size=512, intermediate_size=1536, num_hidden_layers=8, num_attention_heads=8, num_key_value_heads=8), dict(batch=64, length=128)
    run.update(cpu=cpu or smoke, bf16=not (cpu or smoke))
    import trl, transformers
    log(what="device", name="cpu" if cpu else ("cpu (smoke test)" if smoke else torch.cuda.get_device_name()), torch=torch.__version__,
        threads=torch.get_num_threads(), transformers=transformers.__version__, trl=trl.__version__)
    tok, cfg, prompts = setup(size)
    n_params = sum(p.numel() for p in fresh_model(cfg).parameters())
    trl_s, trl_gen, trl_len = trl_run(tok, cfg, prompts, steps, run)
    log(what="trl_grpo_step", n_params=n_params, completions_per_step=run["batch"], max_completion_length=run["length"],
        s_per_step=round(trl_s, 3), generation_s=round(trl_gen, 3), rest_s=round(trl_s - trl_gen, 3), mean_length=round(trl_len, 1))
    settings = {"fast_rollouts": True} if (cpu or smoke) else {"fast_rollouts": True, "cuda_graph": True}
    for extra in ({}, settings):
        ours_s, ours_gen, ours_len = minigrpo_run(tok, cfg, prompts, steps, run, **extra)
        log(what="grpo_step", **extra, n_params=n_params, completions_per_step=run["batch"], max_completion_length=run["length"],
            trl_s_per_step=round(trl_s, 3), minigrpo_s_per_step=round(ours_s, 3), minigrpo_generation_s=round(ours_gen, 3),
            minigrpo_rest_s=round(ours_s - ours_gen, 3), minigrpo_mean_length=round(ours_len, 1), trl_mean_length=round(trl_len, 1),
            speedup=round(trl_s / ours_s, 2), goal="speedup >= 2.5" if cpu else "speedup >= 3")
