// prepare: received → prepared | invalid. The record is validated again (the catalogue may
// have changed since intake), rendered and signed; the package is stored sealed with the
// names the portal will list the case under (for reconciliation).
#include <boost/json.hpp>

#include "todoke/forms/package.hpp"
#include "todoke/forms/record_validator.hpp"
#include "todoke/forms/wareki.hpp"
#include "todoke/gateway/package_builder.hpp"
#include "todoke/gateway/record_attachments.hpp"
#include "worker.hpp"

namespace todoke::gateway::pipeline {
namespace {

using queue::FilingState;

queue::Transition Invalid(const queue::Filing& f, std::string errors_json, std::string reason) {
    queue::Transition t;
    t.to = FilingState::kInvalid;
    t.errors_json = std::move(errors_json);
    t.reason = std::move(reason);
    t.last_error = t.reason;
    t.outbox.push_back(queue::FilingEvent(f, "invalid", t.reason));
    return t;
}

std::string OneError(const std::string& field, const std::string& rule, const std::string& m) {
    return boost::json::serialize(
        boost::json::array{boost::json::object{{"field", field}, {"rule", rule}, {"message", m}}});
}

forms::ApplicationType TypeOf(queue::ApplyKind kind) {
    switch (kind) {
        case queue::ApplyKind::kResubmit:
            return forms::ApplicationType::kResubmission;
        case queue::ApplyKind::kAmend:
            return forms::ApplicationType::kPartialAmendment;
        case queue::ApplyKind::kNew:
            break;
    }
    return forms::ApplicationType::kNew;
}

queue::Transition PrepareOne(Worker& w, const queue::Filing& f) {
    auto text = w.store->ReadRecord(f.id);
    if (!text) {
        // The key does not open it: nothing a retry fixes; an operator must look.
        queue::Transition t;
        t.to = FilingState::kDead;
        t.dead_from = "received";
        t.reason = "the stored record cannot be read: " + text.error().message;
        t.last_error = text.error().ToString();
        return t;
    }
    auto records = forms::ParseJsonRecords(*text, "filing-" + std::to_string(f.id));
    if (!records || records->size() != 1) {
        return Invalid(f, OneError("record", "record.json", "the stored record is not one record"),
                       "the stored record is not one record");
    }
    forms::Record& record = records->front();
    const forms::Catalogue& catalogue = w.shared.deps.catalogue;
    const TimePoint now = w.Now();
    const forms::Date today = forms::DateInJapan(now);
    const auto errors = forms::ValidateRecord(record, catalogue, today);
    if (!errors.empty()) {
        boost::json::array list;
        for (const auto& e : errors) {
            list.push_back(boost::json::parse(forms::FormatErrorJson(e)));
        }
        return Invalid(f, boost::json::serialize(list),
                       std::to_string(errors.size()) + " field error(s)");
    }
    const forms::Procedure* p = catalogue.Find(record.procedure());
    auto attachments = RecordAttachments(record);
    if (!attachments) {
        return Invalid(
            f, OneError(attachments.error().field, "attachments", attachments.error().message),
            attachments.error().message);
    }
    forms::PackageOptions options;
    options.submitted_on = today;
    options.attachments = std::move(*attachments);
    options.type = TypeOf(f.apply_kind);
    options.first_arrive_id = f.apply_kind == queue::ApplyKind::kNew ? "" : f.first_arrive_id;
    auto zips = BuildSignedPackages(*p, record, options, w.shared.deps.keys, now);
    if (!zips) {
        if (zips.error().code == ErrorCode::kInvalidArgument ||
            zips.error().code == ErrorCode::kRejected) {
            return Invalid(f, OneError(zips.error().field, "package", zips.error().message),
                           "cannot be packaged: " + zips.error().message);
        }
        return w.RetryLater(f, zips.error(), "packaging");
    }
    if (zips->size() != 1) {
        // The pipeline keeps one case per filing; a CSV over 4.5 MB needs several applications.
        return Invalid(f,
                       OneError("persons", "pipeline.one_application",
                                "the filing needs " + std::to_string(zips->size()) +
                                    " applications (CSV over 4.5 MB): split the record"),
                       "needs several applications");
    }
    const forms::KouseiApplicant who = forms::ApplicantOf(record);
    queue::Transition t;
    t.to = FilingState::kPrepared;
    t.reason = "validated and signed (" + std::string(p->proc_id) + ")";
    t.payload = std::move(zips->front());
    t.proc_id = std::string(p->proc_id);
    t.proc_name = std::string(p->name);
    t.applicant_name = who.name;
    t.corporation_name = who.organisation;
    t.errors_json = "";
    return t;
}

}  // namespace

Result<void> Prepare(Worker& w, std::vector<queue::Claim>& claims) {
    TransitionEach(w, claims, [&w](queue::Claim& c) { return PrepareOne(w, c.filing); });
    return Ok();
}

}  // namespace todoke::gateway::pipeline
