#include "reference/client/variants.hpp"

namespace tigress::client {

const std::vector<ClientVariantInfo>& client_variant_catalogue() {
  static const std::vector<ClientVariantInfo> catalogue = {
      {"read-without-request-id",
       "Reads carry no Mailbox-Request-ID (draft 6.5 lists none for Read; MBX-RID-01, AMB-06), so no echo is checked "
       "on them",
       {},
       &ClientVariants::read_without_request_id},
      {"payload-base64url",
       "writes payload.data in unpadded base64url and reads every spelling MBX-ENC-01 accepts (AMB-45)",
       {"client/7.2/payload-shape"},
       &ClientVariants::payload_base64url},
      {"secret-base64url",
       "prints the share URL's #secret in unpadded base64url, the lenient initiator reading of AMB-45",
       {"client/7.3/secret-encoding-and-length"},
       &ClientVariants::secret_base64url},
      {"notification-token",
       "sends a fresh random notificationToken with every Create and Update and names its tokenData on stderr",
       {},
       &ClientVariants::notification_token},
  };
  return catalogue;
}

Status enable_client_variant(ClientVariants& variants, std::string_view name) {
  for (const auto& info : client_variant_catalogue()) {
    if (info.name == name) {
      variants.*info.flag = true;
      return {};
    }
  }
  const bool plain =
      name.size() <= 40 && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
  return make_error("unknown variant " + (plain ? "'" + std::string(name) + "'" : std::string("(not shown)")) +
                    " (see --list-variants)");
}

std::string format_variant_list() {
  std::string text;
  for (const auto& info : client_variant_catalogue()) {
    text += std::string(info.name) + "\t" + std::string(info.description) + "\t";
    for (std::size_t i = 0; i < info.warned_by.size(); ++i) {
      text += (i == 0 ? "" : ",") + std::string(info.warned_by[i]);
    }
    text += "\n";
  }
  return text;
}

}  // namespace tigress::client
