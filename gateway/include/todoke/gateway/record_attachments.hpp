// The attachments of a record (docs/records.md): "attachments": [{"label": "...", "file":
// "relative/to/the/record.pdf"}], or, once a record is stored in the queue, the same with the
// bytes embedded ({"label", "file_name", "data_base64"}) so that it needs no file any more.
#pragma once

#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/forms/record.hpp"

namespace todoke::gateway {

Result<std::vector<forms::Attachment>> RecordAttachments(const forms::Record& record);

// Reads every "file" and embeds it; errors name the attachment (field "attachments").
Result<void> EmbedAttachments(forms::Record& record);

}  // namespace todoke::gateway
