#include <boost/json.hpp>

#include "todoke/queue/filing.hpp"

namespace todoke::queue {

OutboxItem FilingEvent(const Filing& f, std::string_view event, std::string_view detail) {
    boost::json::object body{{"filing", f.id},          {"key", f.idempotency_key},
                             {"tenant", f.tenant},      {"company", f.company},
                             {"event", event},          {"detail", detail},
                             {"arrive_id", f.arrive_id}};
    return {"notify", 0, f.company, boost::json::serialize(body)};
}

}  // namespace todoke::queue
