// callscribe-whisper: a long-lived transcription engine over whisper.cpp.
//
// The app's transcription worker starts it once per model and keeps it while there is work, so the model
// is loaded once. It reads one command per line on stdin and answers with one JSON object per line on
// stdout; whisper.cpp's own logging goes to stderr.
//
//   transcribe <TAB> id <TAB> pcm-file <TAB> language|auto <TAB> threads [<TAB> beam-size <TAB> fallback-passes]
//       pcm-file: raw 32-bit float, little endian, 16 kHz, mono
//       beam-size 1 = greedy (default); fallback-passes N = decode a doubtful window again up to N times at
//       rising temperature (default 5, whisper.cpp's; 0 = never)
//   cancel <TAB> id      aborts that job if it is running (checked between whisper.cpp graph steps)
//   quit                 (or end of input) exits
//
//   {"type":"ready","multilingual":true,"gpu":null,"cpuFeatures":"AVX AVX2 FMA"}
//   (callscribe-whisper --probe answers {"type":"probe","gpu":…,"cpuFeatures":…,"cpuSupports":"SSE42 AVX …"}
//    without a model: cpuFeatures is what this build uses, cpuSupports what this machine could run)
//   {"type":"progress","id":"…","progress":42}
//   {"type":"segment","id":"…","t0":1230,"t1":4560,"text":"…","p":0.87,"noSpeech":0.01,
//    "tokens":[[t0,t1,p,bytes],…]}     (text tokens only: times in ms, length in bytes of "text")
//   {"type":"done","id":"…","language":"en"}   {"type":"cancelled","id":"…"}   {"type":"error","id":"…","message":"…"}

#include "whisper.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#include <shellapi.h>
#endif

#if defined(__x86_64__) || defined(_M_X64)
#define CALLSCRIBE_X86_64 1
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace {

// Every path the engine sees is UTF-8 (the app writes UTF-8 on stdin; on Windows the command line is read
// as UTF-16 and converted). Files are opened through std::filesystem paths made from UTF-8, never through
// the ANSI code page, so a Hebrew user name or folder does not break model loading on Windows.
std::filesystem::path utf8_path(const std::string & text) {
    return std::filesystem::u8path(text);
}

std::mutex output_mutex;

void emit(const std::string & line) {
    std::lock_guard<std::mutex> lock(output_mutex);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

std::string json_string(const std::string & text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    out += buffer;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

struct Job {
    std::string id;
    std::string pcm_path;
    std::string language;
    int threads = 1;
    int beam_size = 1;
    int fallback_passes = 5;
};

std::mutex jobs_mutex;
std::condition_variable jobs_ready;
std::deque<Job> jobs;
bool input_closed = false;
std::string running_id;
std::atomic<bool> cancel_running{false};

std::vector<std::string> split_tabs(const std::string & line) {
    std::vector<std::string> parts;
    std::stringstream stream(line);
    std::string part;
    while (std::getline(stream, part, '\t')) parts.push_back(part);
    return parts;
}

void read_commands() {
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto parts = split_tabs(line);
        if (parts.empty()) continue;
        std::lock_guard<std::mutex> lock(jobs_mutex);
        if (parts[0] == "transcribe" && (parts.size() == 5 || parts.size() == 7)) {
            Job job{parts[1], parts[2], parts[3], std::max(1, std::atoi(parts[4].c_str()))};
            if (parts.size() == 7) {
                job.beam_size = std::max(1, std::atoi(parts[5].c_str()));
                job.fallback_passes = std::max(0, std::atoi(parts[6].c_str()));
            }
            jobs.push_back(job);
            jobs_ready.notify_one();
        } else if (parts[0] == "cancel" && parts.size() == 2) {
            if (running_id == parts[1]) cancel_running = true;
            for (auto it = jobs.begin(); it != jobs.end(); ++it) {
                if (it->id == parts[1]) {
                    emit("{\"type\":\"cancelled\",\"id\":" + json_string(parts[1]) + "}");
                    jobs.erase(it);
                    break;
                }
            }
        } else if (parts[0] == "quit") {
            break;
        } else {
            emit("{\"type\":\"error\",\"id\":null,\"message\":" + json_string("unknown command: " + parts[0]) + "}");
        }
    }
    std::lock_guard<std::mutex> lock(jobs_mutex);
    input_closed = true;
    cancel_running = true;
    jobs_ready.notify_one();
}

bool read_pcm(const std::string & path, std::vector<float> & samples) {
    std::ifstream file(utf8_path(path), std::ios::binary | std::ios::ate);
    if (!file) return false;
    const auto size = static_cast<size_t>(file.tellg());
    if (size % sizeof(float) != 0) return false;
    samples.resize(size / sizeof(float));
    file.seekg(0);
    return static_cast<bool>(file.read(reinterpret_cast<char *>(samples.data()), static_cast<std::streamsize>(size)));
}

struct Callbacks {
    whisper_context * ctx;
    std::string id;
};

void on_segment(whisper_context * ctx, whisper_state * state, int n_new, void * user_data) {
    const auto * job = static_cast<Callbacks *>(user_data);
    const int n_segments = whisper_full_n_segments_from_state(state);
    const whisper_token eot = whisper_token_eot(ctx);
    for (int i = n_segments - n_new; i < n_segments; ++i) {
        // Confidence: mean probability of the segment's text tokens (special tokens are >= EOT). Each text
        // token goes out with its own times, so the app can split a segment where packed speech changes
        // speaker (see docs/decisions/0003-dual-channel.md).
        double p_sum = 0;
        int p_count = 0;
        std::ostringstream tokens;
        for (int t = 0; t < whisper_full_n_tokens_from_state(state, i); ++t) {
            const whisper_token_data token = whisper_full_get_token_data_from_state(state, i, t);
            if (token.id >= eot) continue;
            p_sum += token.p;
            if (p_count++) tokens << ',';
            // Its length in bytes of the segment's text (a Hebrew letter can span two tokens, so the app
            // splits the text by bytes, on character boundaries).
            tokens << '[' << token.t0 * 10 << ',' << token.t1 * 10 << ',' << token.p << ','
                   << std::strlen(whisper_token_to_str(ctx, token.id)) << ']';
        }
        std::ostringstream line;
        line << "{\"type\":\"segment\",\"id\":" << json_string(job->id)
             << ",\"t0\":" << whisper_full_get_segment_t0_from_state(state, i) * 10
             << ",\"t1\":" << whisper_full_get_segment_t1_from_state(state, i) * 10
             << ",\"text\":" << json_string(whisper_full_get_segment_text_from_state(state, i))
             << ",\"p\":" << (p_count ? p_sum / p_count : 0.0)
             << ",\"noSpeech\":" << whisper_full_get_segment_no_speech_prob_from_state(state, i)
             << ",\"tokens\":[" << tokens.str() << "]}";
        emit(line.str());
    }
}

void on_progress(whisper_context *, whisper_state *, int progress, void * user_data) {
    const auto * job = static_cast<Callbacks *>(user_data);
    emit("{\"type\":\"progress\",\"id\":" + json_string(job->id) + ",\"progress\":" + std::to_string(progress) + "}");
}

bool should_abort(void *) { return cancel_running.load(); }

// One throw-away pass over a second of silence right after loading. Measured: without it the first
// whisper_full() of a freshly loaded model returned no segments at all for a recording that every later
// call transcribes (reproducible with the synthetic test model; whisper-cli, whose single call is also a
// first call, is not affected, and the cause was not found). It costs a tiny encoder pass and one token per model load.
void warm_up(whisper_context * ctx) {
    std::vector<float> silence(WHISPER_SAMPLE_RATE, 0.0f);
    whisper_full_params params = whisper_full_default_params(WHISPER_SAMPLING_GREEDY);
    params.print_progress = false;
    params.no_context = true;
    params.language = "en";
    params.single_segment = true;
    params.max_tokens = 1;
    // Measured: an encoder context of 8 frames cures the empty first call just as well, and the pass costs
    // ~20 ms instead of a full 30-s encoder pass (~430 ms for the tiny model on 2 threads).
    params.audio_ctx = 8;
    whisper_full(ctx, params, silence.data(), static_cast<int>(silence.size()));
}

void run(whisper_context * ctx, const Job & job) {
    std::vector<float> samples;
    if (!read_pcm(job.pcm_path, samples)) {
        emit("{\"type\":\"error\",\"id\":" + json_string(job.id) + ",\"message\":" + json_string("cannot read audio samples from " + job.pcm_path) + "}");
        return;
    }
    Callbacks callbacks{ctx, job.id};
    whisper_full_params params =
        whisper_full_default_params(job.beam_size > 1 ? WHISPER_SAMPLING_BEAM_SEARCH : WHISPER_SAMPLING_GREEDY);
    params.n_threads = job.threads;
    params.beam_search.beam_size = job.beam_size;
    // N fallback passes: a doubtful window is decoded again at temperatures 1/N, 2/N … 1.0 (whisper.cpp's
    // default is 5 at 0.2 steps); 0 never decodes a window twice. The encoder runs once either way.
    params.temperature_inc = job.fallback_passes > 0 ? 1.0f / static_cast<float>(job.fallback_passes) : 0.0f;
    // A greedy fallback draws one candidate, not whisper.cpp's default five: measured on windows that
    // always fail the thresholds, five made two fallback passes cost 4.2x the greedy decode.
    if (job.beam_size <= 1) params.greedy.best_of = 1;
    // Never carry (possibly hallucinated) text from one window into the next: no_context clears what a
    // previous request left, n_max_text_ctx = 0 stops whisper_full prompting each 30-s window with the
    // last one's text (the app packs many speech stretches into one request; the CLI's -mc 0).
    params.no_context = true;
    params.n_max_text_ctx = 0;
    params.print_progress = false;
    params.print_realtime = false;
    params.print_special = false;
    params.print_timestamps = false;
    params.suppress_nst = true;
    params.token_timestamps = true;  // per-token times, for splitting segments at speaker changes
    params.language = job.language.c_str();
    params.detect_language = false;
    params.new_segment_callback = on_segment;
    params.new_segment_callback_user_data = &callbacks;
    params.progress_callback = on_progress;
    params.progress_callback_user_data = &callbacks;
    params.abort_callback = should_abort;
    params.abort_callback_user_data = nullptr;

    const int result = whisper_full(ctx, params, samples.data(), static_cast<int>(samples.size()));
    if (cancel_running.load()) {
        emit("{\"type\":\"cancelled\",\"id\":" + json_string(job.id) + "}");
    } else if (result != 0) {
        emit("{\"type\":\"error\",\"id\":" + json_string(job.id) + ",\"message\":" + json_string("whisper.cpp failed with code " + std::to_string(result)) + "}");
    } else {
        const int lang = whisper_full_lang_id(ctx);
        emit("{\"type\":\"done\",\"id\":" + json_string(job.id) + ",\"language\":" + json_string(lang >= 0 ? whisper_lang_str(lang) : "") + "}");
    }
}

}  // namespace

// whisper.cpp opens a model path with the narrow (ANSI on Windows) API; this loader reads it through a
// stream opened from the UTF-8 path instead.
size_t model_read(void * context, void * output, size_t size) {
    auto * file = static_cast<std::ifstream *>(context);
    file->read(static_cast<char *>(output), static_cast<std::streamsize>(size));
    return static_cast<size_t>(file->gcount());
}
bool model_eof(void * context) { return static_cast<std::ifstream *>(context)->eof(); }
void model_close(void * context) { static_cast<std::ifstream *>(context)->close(); }

whisper_context * load_model(const std::string & path, whisper_context_params params) {
    std::ifstream file(utf8_path(path), std::ios::binary);
    if (!file) return nullptr;
    whisper_model_loader loader{&file, model_read, model_eof, model_close};
    return whisper_init_with_params(&loader, params);
}

/** The command line as UTF-8 (on Windows from its UTF-16 form, not the ANSI code page). */
std::vector<std::string> utf8_arguments(int argc, char ** argv) {
    std::vector<std::string> arguments;
#ifdef _WIN32
    (void) argc;
    (void) argv;
    int count = 0;
    wchar_t ** wide = CommandLineToArgvW(GetCommandLineW(), &count);
    for (int i = 0; wide != nullptr && i < count; ++i) {
        const int bytes = WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
        std::string text(static_cast<size_t>(bytes > 0 ? bytes - 1 : 0), '\0');
        if (bytes > 1) WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, text.data(), bytes, nullptr, nullptr);
        arguments.push_back(text);
    }
    LocalFree(wide);
#else
    for (int i = 0; i < argc; ++i) arguments.emplace_back(argv[i]);
#endif
    return arguments;
}

// What the engine computes on: the GPU whisper.cpp picks when it has one (Metal on Apple silicon, where
// the engine is built with it), else the CPU, with the instruction sets this build uses on this machine.
std::string backend_json() {
    std::string gpu;
    for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
        ggml_backend_dev_t device = ggml_backend_dev_get(i);
        const auto type = ggml_backend_dev_type(device);
        if (gpu.empty() && (type == GGML_BACKEND_DEVICE_TYPE_GPU || type == GGML_BACKEND_DEVICE_TYPE_IGPU))
            gpu = std::string(ggml_backend_dev_name(device)) + " (" + ggml_backend_dev_description(device) + ")";
    }
    std::string features;
    const auto add = [&](bool has, const char * name) {
        if (has) features += (features.empty() ? "" : " ") + std::string(name);
    };
    add(ggml_cpu_has_avx(), "AVX");
    add(ggml_cpu_has_avx2(), "AVX2");
    add(ggml_cpu_has_fma(), "FMA");
    add(ggml_cpu_has_avx512(), "AVX512");
    add(ggml_cpu_has_neon(), "NEON");
    return "\"gpu\":" + (gpu.empty() ? std::string("null") : json_string(gpu)) + ",\"cpuFeatures\":" + json_string(features);
}

#ifdef CALLSCRIBE_X86_64
// cpuid and xgetbv in one spelling for every compiler: registers a, b, c, d of a leaf / subleaf.
void cpuid(unsigned leaf, unsigned subleaf, unsigned registers[4]) {
#if defined(_MSC_VER) && !defined(__clang__)
    int answer[4];
    __cpuidex(answer, static_cast<int>(leaf), static_cast<int>(subleaf));
    for (int i = 0; i < 4; ++i) registers[i] = static_cast<unsigned>(answer[i]);
#else
    __cpuid_count(leaf, subleaf, registers[0], registers[1], registers[2], registers[3]);
#endif
}

// Which register states the OS saves on a context switch (XCR0): AVX needs the YMM halves, AVX-512 the
// ZMM ones, whatever the CPU itself offers.
unsigned long long os_saved_state() {
#if defined(_MSC_VER) && !defined(__clang__)
    return _xgetbv(0);
#else
    unsigned low = 0, high = 0;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return (static_cast<unsigned long long>(high) << 32) | low;
#endif
}
#endif

// The instruction sets this machine (CPU and OS) supports, found at run time, whatever this build was
// compiled for. The release ships a baseline engine that runs anywhere and faster builds beside it; the
// app asks the baseline and starts the fastest build this machine can run (names as in cpu-variants.json).
std::string cpu_supports() {
    std::string names;
    const auto add = [&](bool has, const char * name) {
        if (has) names += (names.empty() ? "" : " ") + std::string(name);
    };
#ifdef CALLSCRIBE_X86_64
    unsigned leaf0[4], leaf1[4], leaf7[4] = {0, 0, 0, 0};
    cpuid(0, 0, leaf0);
    cpuid(1, 0, leaf1);
    if (leaf0[0] >= 7) cpuid(7, 0, leaf7);
    const unsigned ecx1 = leaf1[2], ebx7 = leaf7[1];
    const unsigned long long saved = (ecx1 & (1u << 27)) ? os_saved_state() : 0;  // OSXSAVE
    const bool ymm = (saved & 0x6) == 0x6;    // SSE and AVX state
    const bool zmm = (saved & 0xe6) == 0xe6;  // and the AVX-512 opmask and upper ZMM state
    add(ecx1 & (1u << 20), "SSE42");
    add(ymm && (ecx1 & (1u << 28)), "AVX");
    add(ymm && (ecx1 & (1u << 29)), "F16C");
    add(ymm && (ecx1 & (1u << 12)), "FMA");
    add(ymm && (ebx7 & (1u << 5)), "AVX2");
    add(ebx7 & (1u << 8), "BMI2");
    add(zmm && (ebx7 & (1u << 16)), "AVX512");
#endif
    return names;
}

int main(int argc, char ** argv) {
#ifdef _WIN32
    // One JSON object per line, byte for byte: no CR/LF translation on either pipe.
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stdin), _O_BINARY);
#endif
    const std::vector<std::string> arguments = utf8_arguments(argc, argv);
    if (arguments.size() == 2 && arguments[1] == "--probe") {
        emit("{\"type\":\"probe\"," + backend_json() + ",\"cpuSupports\":" + json_string(cpu_supports()) + "}");
        return 0;
    }
    std::string model;
    for (size_t i = 1; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == "--model") model = arguments[++i];
    }
    if (model.empty()) {
        emit("{\"type\":\"error\",\"id\":null,\"message\":\"usage: callscribe-whisper --model FILE\"}");
        return 2;
    }
    whisper_context_params context_params = whisper_context_default_params();
    // A GPU when this build has one (Metal on Apple silicon); whisper.cpp falls back to the CPU by itself.
    context_params.use_gpu = true;
    // Flash attention, said rather than inherited: on the CPU the same call takes 2.5x the CPU time
    // without it (whisper-cli -fa vs -nfa, README). It rules out DTW token timestamps, which the engine
    // does not use (speaker turns are cut by whisper.cpp's energy-based token times).
    context_params.flash_attn = true;
    whisper_context * ctx = load_model(model, context_params);
    if (ctx == nullptr) {
        emit("{\"type\":\"error\",\"id\":null,\"message\":" + json_string("cannot load the Whisper model " + model + " (missing, truncated or not a ggml model)") + "}");
        return 1;
    }
    warm_up(ctx);
    emit(std::string("{\"type\":\"ready\",\"multilingual\":") + (whisper_is_multilingual(ctx) ? "true" : "false") + "," + backend_json() + "}");

    std::thread reader(read_commands);
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(jobs_mutex);
            jobs_ready.wait(lock, [] { return input_closed || !jobs.empty(); });
            if (input_closed) break;
            job = jobs.front();
            jobs.pop_front();
            running_id = job.id;
            cancel_running = false;
        }
        run(ctx, job);
        std::lock_guard<std::mutex> lock(jobs_mutex);
        running_id.clear();
    }
    reader.join();
    whisper_free(ctx);
    return 0;
}
