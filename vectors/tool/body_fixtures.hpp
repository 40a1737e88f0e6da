// Fixed values the request-body vectors and their verifier share: the relay's clock, the claims
// of the setup, and the create body that sets up a mailbox before an endpoint's test runs.
#pragma once

#include <cstdint>
#include <string_view>

namespace tigress::vectors {

inline constexpr std::int64_t kRelayTime = 1'900'000'000;  // the relay's clock
inline constexpr std::string_view kRelayTimeText = "2030-03-17T17:46:40Z";
inline constexpr std::string_view kOneHourLater = "2030-03-17T18:46:40Z";
inline constexpr std::string_view kInitiatorClaim = "3f1c5b7e-2a4d-4e8f-9b6a-1c2d3e4f5a6b";
inline constexpr std::string_view kRecipientClaim = "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d";
inline constexpr std::string_view kSetupRequestId = "0d5e2c1b-9f8a-4b7c-8d6e-5f4a3b2c1d0e";
inline constexpr std::string_view kTestRequestId = "6b1e9d2c-7a3f-4c5e-8b9d-0a1f2e3d4c5b";
inline constexpr std::string_view kSetupCreateBody =
    R"({"payload":{"type":"AEAD_AES_128_GCM","data":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw="},)"
    R"("displayInformation":{"title":"Car Key","description":"A key to my car","imageURL":"https://example.com/car.png"},)"
    R"("mailboxConfiguration":{"accessRights":"RWD","expiration":"2030-03-17T18:46:40Z"}})";

}  // namespace tigress::vectors
