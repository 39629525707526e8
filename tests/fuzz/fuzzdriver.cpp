// Runs a libFuzzer target without libFuzzer, so every ctest run replays the seed
// corpus and a fixed number of deterministic mutations of it. Built with clang and
// POPTAP_FUZZ=ON the same targets link -fsanitize=fuzzer instead of this driver.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

std::vector<std::string> readCorpus(const std::filesystem::path &dir)
{
    std::vector<std::string> inputs;
    for (const auto &entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return inputs;
}

std::string mutate(std::string input, std::mt19937 &random)
{
    std::uniform_int_distribution<int> byte(0, 255);
    const int edits = 1 + int(random() % 8);
    for (int i = 0; i < edits; ++i) {
        const std::size_t at = input.empty() ? 0 : random() % input.size();
        switch (random() % 5) {
        case 0: if (!input.empty()) input[at] = char(byte(random)); break;                 // flip a byte
        case 1: input.insert(input.begin() + long(at), char(byte(random))); break;         // insert
        case 2: if (!input.empty()) input.erase(at, 1 + random() % 4); break;              // delete
        case 3: input.resize(at); break;                                                   // truncate
        case 4: input.insert(at, input.substr(at, random() % 16)); break;                  // duplicate
        }
    }
    return input;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <corpus-dir> [mutations]\n", argv[0]);
        return 2;
    }
    const std::vector<std::string> corpus = readCorpus(argv[1]);
    const long mutations = argc > 2 ? std::atol(argv[2]) : 100000;
    if (corpus.empty()) {
        std::fprintf(stderr, "empty corpus %s\n", argv[1]);
        return 2;
    }
    for (const std::string &input : corpus)
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()), input.size());
    std::mt19937 random(20261122);
    for (long i = 0; i < mutations; ++i) {
        const std::string input = mutate(corpus[std::size_t(i) % corpus.size()], random);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.data()), input.size());
    }
    std::printf("%zu corpus inputs and %ld mutations ran without a crash\n", corpus.size(), mutations);
    return 0;
}
