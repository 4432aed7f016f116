#include <array>

#include "todoke/queue/filing.hpp"
#include "todoke/queue/store.hpp"

namespace todoke::queue {
namespace {

constexpr std::array<std::string_view, kStateCount> kNames = {"received",
                                                              "prepared",
                                                              "submitting",
                                                              "unknown",
                                                              "arrived",
                                                              "under_review",
                                                              "amendment_requested",
                                                              "review_done",
                                                              "withdraw_requested",
                                                              "withdrawing",
                                                              "completed",
                                                              "invalid",
                                                              "rejected",
                                                              "withdrawn",
                                                              "dead",
                                                              "cancelled"};

}  // namespace

std::string_view StateName(FilingState state) { return kNames.at(static_cast<std::size_t>(state)); }

std::optional<FilingState> ParseState(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) {
            return static_cast<FilingState>(i);
        }
    }
    return std::nullopt;
}

bool IsFinal(FilingState state) {
    switch (state) {
        case FilingState::kCompleted:
        case FilingState::kInvalid:
        case FilingState::kRejected:
        case FilingState::kWithdrawn:
        case FilingState::kDead:
        case FilingState::kCancelled:
            return true;
        default:
            return false;
    }
}

std::string_view ApplyKindName(ApplyKind kind) {
    switch (kind) {
        case ApplyKind::kResubmit:
            return "resubmit";
        case ApplyKind::kAmend:
            return "amend";
        case ApplyKind::kNew:
            break;
    }
    return "new";
}

std::optional<ApplyKind> ParseApplyKind(std::string_view name) {
    if (name == "new") return ApplyKind::kNew;
    if (name == "resubmit") return ApplyKind::kResubmit;
    if (name == "amend") return ApplyKind::kAmend;
    return std::nullopt;
}

std::string_view StageName(Stage stage) {
    switch (stage) {
        case Stage::kPrepare:
            return "prepare";
        case Stage::kSubmit:
            return "submit";
        case Stage::kReconcile:
            return "reconcile";
        case Stage::kTrack:
            return "track";
        case Stage::kCollect:
            return "collect";
    }
    return "?";
}

std::int64_t StoreCounts::total() const {
    std::int64_t n = 0;
    for (const auto c : by_state) n += c;
    return n;
}

std::int64_t StoreCounts::final() const {
    std::int64_t n = 0;
    for (std::size_t i = 0; i < by_state.size(); ++i) {
        if (IsFinal(static_cast<FilingState>(i))) n += by_state[i];
    }
    return n;
}

Result<void> Store::Commit(Claim& claim, const Transition& transition) {
    Claim* one[] = {&claim};
    TODOKE_ASSIGN_OR_RETURN(auto results,
                            CommitAll(std::span<Claim* const>(one), std::span(&transition, 1)));
    return results.front();
}

}  // namespace todoke::queue
