// The transport Config.notifications asks for.
#include "notifications/notifier.h"

namespace core::notifications {

std::unique_ptr<Notifier> notifier_for(const NotificationDelivery& delivery) {
  if (!delivery.command.empty()) return command_notifier(delivery.command);
  if (!delivery.smtp_relay.empty()) return smtp_notifier(delivery.smtp_relay);
  return nullptr;
}

}  // namespace core::notifications
