"""GRPO step time: minigrpo's trainer against TRL's GRPOTrainer, same model and settings, same run.

TRL's measured baseline configuration: a 27.6M-parameter Qwen2-shaped model (hidden 512, 8 layers, 8 heads,
intermediate 1536, tied embeddings, the baseline's own small BPE vocabulary), 64 completions per step (8 prompts × 8) of up to
128 tokens, bf16, no vLLM. minigrpo trains the *same* 🤗 Qwen2 model through its own loop (generation with
`minigrpo.sampling.generate`, loss from `minigrpo.grpo`), so the comparison is of the training loops.
    python bench/grpo.py [--steps 4] [--smoke]   (CUDA; one JSON line per measurement; --smoke: tiny, on CPU)"""
import json, sys, tempfile, time, warnings
import torch

def log(**kw): print(json.dumps(kw), flush=True)

def setup(smoke: bool = False):
    "The baseline's tokenizer (🤗 BpeTrainer asked for 2,000 tokens; this text allows about 650), model config and prompts."
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config
    text = [f"Q: what is {a} plus {b}? A: {a+b}" for a in range(200) for b in range(0, 200, 7)]
    tk = Tokenizer(models.BPE()); tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False); tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator(text, trainers.BpeTrainer(vocab_size=2000, special_tokens=["<|endoftext|>"],
                                                     initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, eos_token="<|endoftext|>", pad_token="<|endoftext|>")
    size = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2) if smoke \
        else dict(hidden_size=512, intermediate_size=1536, num_hidden_layers=8, num_attention_heads=8, num_key_value_heads=8)
    cfg = Qwen2Config(vocab_size=len(tok), **size, max_position_embeddings=1024, eos_token_id=tok.eos_token_id,
                      pad_token_id=tok.pad_token_id, tie_word_embeddings=True)
    prompts = [{"prompt": f"Q: what is {i} plus {i+3}? A:"} for i in range(256)]
    return tok, cfg, prompts

def reward_len(completions, **kw): return [-abs(50 - len(c)) / 50 for c in completions]

def trl_run(tok, cfg, prompts, steps, smoke=False):
    from datasets import Dataset
    from transformers import Qwen2ForCausalLM
    from trl import GRPOConfig, GRPOTrainer
    args = GRPOConfig(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=64, num_generations=8,
                      max_completion_length=16 if smoke else 128, max_steps=steps + 1, logging_steps=1, bf16=not smoke, use_cpu=smoke,
                      report_to=[], learning_rate=1e-5, save_strategy="no", temperature=1.0, disable_tqdm=True)
    tr = GRPOTrainer(model=Qwen2ForCausalLM(cfg), reward_funcs=[reward_len], args=args, train_dataset=Dataset.from_list(prompts), processing_class=tok)
    tr.train()
    times = [h["step_time"] for h in tr.state.log_history if "step_time" in h][1:]  # drop the warm-up step
    return sum(times) / len(times)

def minigrpo_run(tok, cfg, prompts, steps, smoke=False, **settings):
    from transformers import Qwen2ForCausalLM
    from minigrpo.trainer import GRPOConfig, GRPOTrainer
    model = Qwen2ForCausalLM(cfg)
    tr = GRPOTrainer(model, tok, [reward_len], prompts, GRPOConfig(max_steps=steps + 1, prompts_per_step=8, num_generations=8,
                     max_completion_length=16 if smoke else 128, learning_rate=1e-5, save_every=0, device="cpu" if smoke else "cuda",
                     **settings),
                     out_dir=tempfile.mkdtemp())
    hist = tr.train(progress=False)
    times = [h["step_time"] for h in hist][1:]
    return sum(times) / len(times), hist[-1]["completions/mean_length"]

if __name__ == "__main__":
    smoke = "--smoke" in sys.argv  # the same code on CPU with a tiny model and 16-token completions, to check the script runs
    if not smoke and not torch.cuda.is_available(): sys.exit("bench/grpo.py needs a CUDA GPU (or --smoke)")
    steps = int(sys.argv[sys.argv.index("--steps") + 1]) if "--steps" in sys.argv else (1 if smoke else 4)
    warnings.filterwarnings("ignore")
    log(what="device", name="cpu (smoke test)" if smoke else torch.cuda.get_device_name(), torch=torch.__version__)
    tok, cfg, prompts = setup(smoke)
    trl_s = trl_run(tok, cfg, prompts, steps, smoke)
    # the 🤗 model samples for itself; then a minigrpo GPT copy samples (synced every step) with its decode step as a CUDA graph
    for settings in ({}, {"fast_rollouts": True, "cuda_graph": True}):
        ours_s, mean_len = minigrpo_run(tok, cfg, prompts, steps, smoke, **settings)
        log(what="grpo_step", **settings, completions_per_step=64, max_completion_length=16 if smoke else 128,
            trl_s_per_step=round(trl_s, 3), minigrpo_s_per_step=round(ours_s, 3), speedup=round(trl_s / ours_s, 2),
            minigrpo_mean_length=mean_len, goal="speedup >= 3")
