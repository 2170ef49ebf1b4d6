// Checks the engine's replacements for whisper.cpp's log-mel spectrogram and signal energy (fast-mel.inc,
// fast-energy.inc) against their definitions, computed the obvious way in double precision: a plain DFT of
// every Hann-windowed frame through a model's own mel filters, and the windowed mean of |sample|.
//
//   callscribe-mel-check MODEL   (a ggml Whisper model: its mel filters are used)
//
// Prints {"frames":..,"melMaxError":..,"energyMaxError":..}: the largest difference in log10 power over
// the values whisper.cpp keeps (within 8 of the loudest; it clamps the rest), and in energy relative to the
// loudest. Built beside the engine; test/transcription/engine-mel.test.ts runs it.
#define _USE_MATH_DEFINES  // M_PI with MSVC
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <vector>

#define WHISPER_N_FFT 400

struct whisper_mel {
    int n_len;
    int n_len_org;
    int n_mel;
    std::vector<float> data;
};

struct whisper_filters {
    int32_t n_mel;
    int32_t n_fft;
    std::vector<float> data;
};

#include "fast-energy.inc"
#include "fast-mel.inc"

namespace {

constexpr int kHop = 160;
constexpr int kRate = 16000;

bool read_filters(const char * path, whisper_filters & filters) {
    std::ifstream file(path, std::ios::binary);
    uint32_t magic = 0;
    int32_t hparams[11];
    file.read(reinterpret_cast<char *>(&magic), sizeof magic);
    file.read(reinterpret_cast<char *>(hparams), sizeof hparams);
    file.read(reinterpret_cast<char *>(&filters.n_mel), sizeof filters.n_mel);
    file.read(reinterpret_cast<char *>(&filters.n_fft), sizeof filters.n_fft);
    if (!file || magic != 0x67676d6c || filters.n_fft != 1 + WHISPER_N_FFT / 2) return false;
    filters.data.resize(static_cast<size_t>(filters.n_mel) * filters.n_fft);
    file.read(reinterpret_cast<char *>(filters.data.data()), filters.data.size() * sizeof(float));
    return static_cast<bool>(file);
}

// Ten seconds that exercise the whole spectrum: a speech-like harmonic tone whose pitch wanders, a
// whistle, noise bursts, and a stretch of near silence (deterministic: the same input every run).
std::vector<float> test_audio() {
    std::vector<float> audio(10 * kRate);
    uint32_t state = 12345;
    for (size_t i = 0; i < audio.size(); ++i) {
        const double t = static_cast<double>(i) / kRate;
        state = state * 1664525u + 1013904223u;
        const double noise = (static_cast<double>(state >> 8) / (1 << 24)) * 2.0 - 1.0;
        const double pitch = 120.0 + 40.0 * std::sin(2 * M_PI * 0.7 * t);
        double voice = 0;
        for (int h = 1; h <= 12; ++h) voice += std::sin(2 * M_PI * pitch * h * t) / h;
        const bool quiet = t > 6.0 && t < 7.5;
        const bool burst = std::fmod(t, 2.0) < 0.3;
        audio[i] = static_cast<float>(quiet ? noise * 1e-4
                                            : 0.3 * voice + 0.2 * std::sin(2 * M_PI * 3100 * t) +
                                                  (burst ? 0.3 : 0.01) * noise);
    }
    return audio;
}

}  // namespace

int main(int argc, char ** argv) {
    whisper_filters filters;
    if (argc != 2 || !read_filters(argv[1], filters)) {
        std::fprintf(stderr, "usage: callscribe-mel-check MODEL (a ggml Whisper model)\n");
        return 2;
    }
    const std::vector<float> audio = test_audio();

    // Laid out as whisper.cpp's log_mel_spectrogram lays it out: 200 samples of padding before, 30 s after.
    const int pad = WHISPER_N_FFT / 2;
    std::vector<float> padded(audio.size() + 30 * kRate + 2 * pad, 0.0f);
    std::copy(audio.begin(), audio.end(), padded.begin() + pad);
    const int n_samples = static_cast<int>(audio.size()) + pad;
    std::vector<float> hann(WHISPER_N_FFT);
    for (int i = 0; i < WHISPER_N_FFT; ++i) hann[i] = 0.5f * (1.0f - std::cos(2.0f * M_PI * i / WHISPER_N_FFT));

    whisper_mel mel;
    mel.n_mel = filters.n_mel;
    mel.n_len = static_cast<int>((padded.size() - WHISPER_N_FFT) / kHop);
    mel.data.assign(static_cast<size_t>(mel.n_mel) * mel.n_len, 0.0f);
    const int n_threads = 2;  // two workers share the frames, as in the engine
    for (int ith = 0; ith < n_threads; ++ith)
        log_mel_spectrogram_worker_thread(ith, hann.data(), padded, n_samples, WHISPER_N_FFT, kHop, n_threads,
                                          filters, mel);

    // The definition, frame by frame.
    const int frames = std::min(n_samples / kHop + 1, mel.n_len);
    std::vector<double> expected(static_cast<size_t>(mel.n_mel) * frames);
    double loudest = -1e300;
    std::vector<double> power(filters.n_fft);
    for (int i = 0; i < frames; ++i) {
        for (int k = 0; k < filters.n_fft; ++k) {
            double re = 0, im = 0;
            for (int j = 0; j < WHISPER_N_FFT; ++j) {
                const int at = i * kHop + j;
                const double x = at < n_samples ? static_cast<double>(hann[j]) * padded[at] : 0.0;
                re += x * std::cos(2 * M_PI * j * k / WHISPER_N_FFT);
                im -= x * std::sin(2 * M_PI * j * k / WHISPER_N_FFT);
            }
            power[k] = re * re + im * im;
        }
        for (int m = 0; m < mel.n_mel; ++m) {
            double sum = 0;
            for (int k = 0; k < filters.n_fft; ++k) sum += power[k] * filters.data[m * filters.n_fft + k];
            const double value = std::log10(std::max(sum, 1e-10));
            expected[static_cast<size_t>(m) * frames + i] = value;
            loudest = std::max(loudest, value);
        }
    }
    double mel_error = 0;
    for (int m = 0; m < mel.n_mel; ++m)
        for (int i = 0; i < frames; ++i) {
            const double want = expected[static_cast<size_t>(m) * frames + i];
            if (want < loudest - 8.0) continue;  // whisper.cpp raises these to loudest - 8
            mel_error = std::max(mel_error, std::fabs(mel.data[static_cast<size_t>(m) * mel.n_len + i] - want));
        }
    // The padding frames hold silence.
    for (int m = 0; m < mel.n_mel; ++m)
        if (mel.data[static_cast<size_t>(m) * mel.n_len + mel.n_len - 1] != static_cast<float>(std::log10(1e-10)))
            mel_error = 1e9;

    const int hw = 32;
    const std::vector<float> energy = get_signal_energy(audio.data(), static_cast<int>(audio.size()), hw);
    double energy_error = 0;
    double energy_max = 0;
    for (int i = 0; i < static_cast<int>(audio.size()); ++i) {
        double sum = 0;
        for (int j = std::max(0, i - hw); j <= std::min(static_cast<int>(audio.size()) - 1, i + hw); ++j)
            sum += std::fabs(static_cast<double>(audio[j]));
        const double want = sum / (2 * hw + 1);
        energy_max = std::max(energy_max, want);
        energy_error = std::max(energy_error, std::fabs(energy[i] - want));
    }
    std::printf("{\"frames\":%d,\"melMaxError\":%.3g,\"energyMaxError\":%.3g}\n", frames, mel_error,
                energy_error / energy_max);
    return 0;
}
