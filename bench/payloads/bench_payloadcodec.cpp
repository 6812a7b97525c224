// The payload codec's cost and size per row (not a test): contacts-shaped payloads like
// bench/diff's (10 fields), encoded with an untrained and a trained shape, then decoded and
// checked byte for byte. Prints bytes per row and CPU microseconds per row (process CPU time,
// so a busy machine does not inflate it much). Usage: bench_payloadcodec [rows] (default 200,000).
#include "engine/state/payloadcodec.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

using namespace syncline::engine::state;

namespace {

double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// One row of ../shared/bench/contacts.sql as the mapper writes it.
std::string contact(long g)
{
    static const char *domains[] = {"example.com", "example.org", "example.net", "mail.test"};
    static const char *first[] = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Linus"};
    static const char *last[] = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Torvalds"};
    static const char *plans[] = {"free", "starter", "pro", "enterprise"};
    auto iso = [](long seconds) {
        const time_t t = seconds;
        tm parts{};
        gmtime_r(&t, &parts);
        char text[32];
        strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
        return std::string(text);
    };
    char buffer[512];
    snprintf(buffer, sizeof buffer,
             "{\"id\":%ld,\"email\":\"user%ld@%s\",\"first_name\":\"%s\",\"last_name\":\"%s\",\"company\":\"Company %ld\","
             "\"plan\":\"%s\",\"seats\":%ld,\"ltv\":\"%.2f\",\"signup_at\":\"%s\",\"last_seen_at\":\"%s\"}",
             g, g, domains[g % 4], first[g % 10], last[(g / 10) % 10], g % 5000, plans[(g * 7) % 4], 1 + (g * 13) % 250,
             double((g * 7919) % 1000000) / 100.0, iso(1577836800 + (g * 104729) % 157680000).c_str(),
             iso(1704067200 + (g * 15485863) % 31536000).c_str());
    return buffer;
}

bool measure(const char *label, const payloadcodec::Shape &shape, const std::vector<std::string> &rows)
{
    std::vector<std::string> blobs(rows.size());
    const double start = cpuSeconds();
    for (size_t i = 0; i < rows.size(); ++i)
        if (!payloadcodec::encode(rows[i], shape, 1, blobs[i]))
            return fprintf(stderr, "refused: %s\n", rows[i].c_str()), false;
    const double encoded = cpuSeconds();
    std::string json;
    for (size_t i = 0; i < rows.size(); ++i) {
        json.clear();
        if (!payloadcodec::decode(blobs[i], shape, json) || json != rows[i])
            return fprintf(stderr, "does not come back: %s\n", rows[i].c_str()), false;
    }
    const double decoded = cpuSeconds();
    size_t text = 0, compact = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
        text += rows[i].size();
        compact += blobs[i].size();
    }
    const double n = double(rows.size());
    printf("%-10s %6.1f B/row text, %5.1f B/row stored; encode %.3f us/row, decode (+compare) %.3f us/row CPU\n", label,
           double(text) / n, double(compact) / n, (encoded - start) / n * 1e6, (decoded - encoded) / n * 1e6);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    const long count = argc > 1 ? std::atol(argv[1]) : 200000;
    std::mt19937_64 random(12);
    std::vector<std::string> rows;
    rows.reserve(size_t(count));
    for (long i = 0; i < count; ++i)
        rows.push_back(contact(1 + long(random() % 1000000)));
    const auto untrained = payloadcodec::shapeOf(rows.front());
    if (!untrained)
        return 1;
    const double start = cpuSeconds();
    const std::vector<std::string> samples(rows.begin(), rows.begin() + std::min<long>(count, 1024));
    const std::string dictionary = payloadcodec::train(*untrained, samples);
    const auto trained = payloadcodec::parseShape(untrained->fields, dictionary);
    printf("training on %zu payloads: %.1f ms CPU, dictionary %zu B\n", samples.size(), (cpuSeconds() - start) * 1e3,
           dictionary.size());
    if (!trained)
        return 1;
    return measure("untrained", *untrained, rows) && measure("trained", *trained, rows) ? 0 : 1;
}
