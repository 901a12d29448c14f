package dev.switchboard.presence;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The merge rule: devices, the latest set status, busy in a call, dnd above busy, versions. */
class UserDevicesTest {
  private final UserDevices bob = new UserDevices("bob");
  private long now = 1_000;

  private PresenceView apply(DeviceOp op) {
    return bob.apply(op, now++);
  }

  private static void assertView(String status, String note, int devices, PresenceView view) {
    assertEquals(status + "/" + note + "/" + devices, view.status() + "/" + view.note() + "/" + view.devices());
  }

  @Test
  void noDeviceIsOfflineAndEveryDeviceCounts() {
    assertView("offline", null, 0, bob.view());
    assertView("online", null, 1, apply(DeviceOp.connect("phone")));
    assertView("online", null, 2, apply(DeviceOp.connect("laptop")));
    assertNull(apply(DeviceOp.connect("laptop")), "a device connecting again changes nothing");
    assertView("online", null, 1, apply(DeviceOp.remove("phone")));
    assertView("offline", null, 0, apply(DeviceOp.remove("laptop")));
    assertNull(apply(DeviceOp.remove("laptop")));
  }

  @Test
  void theStatusSetLastWinsAndLeavesWithItsDevice() {
    apply(DeviceOp.connect("phone"));
    apply(DeviceOp.connect("laptop"));
    assertView("away", "lunch", 2, apply(DeviceOp.set("laptop", "away", "lunch")));
    assertView("online", null, 2, apply(DeviceOp.set("phone", "online", null)));
    assertView("dnd", "focus", 2, apply(DeviceOp.set("laptop", "dnd", "focus")));
    assertView("online", null, 1, apply(DeviceOp.remove("laptop")));
  }

  @Test
  void anAcceptedCallMakesOnlineAndAwayBusyButNotDnd() {
    apply(DeviceOp.connect("phone"));
    apply(DeviceOp.connect("laptop"));
    assertView("busy", null, 2, apply(DeviceOp.callStart("phone", "c1")));
    assertNull(apply(DeviceOp.callStart("phone", "c2")));
    assertNull(apply(DeviceOp.callEnd("phone", "c1")), "still in c2");
    assertNull(apply(DeviceOp.set("laptop", "away", null)), "away in a call is busy");
    assertView("dnd", null, 2, apply(DeviceOp.set("laptop", "dnd", null)));
    assertView("busy", null, 2, apply(DeviceOp.set("laptop", "online", null)));
    assertView("online", null, 2, apply(DeviceOp.callEnd("phone", "c2")));
  }

  @Test
  void versionsGrowWithEveryChangeAndPastTheClock() {
    long first = apply(DeviceOp.connect("phone")).version();
    assertTrue(first >= 1_000 * 1000, "a fresh record starts at the clock");
    long second = apply(DeviceOp.set("phone", "away", null)).version();
    assertTrue(second > first);
    now = 0;
    assertTrue(apply(DeviceOp.remove("phone")).version() > second, "never back, even with the clock behind");
  }

  @Test
  void aRecordSurvivesEncoding() {
    apply(DeviceOp.connect("phone"));
    apply(DeviceOp.set("phone", "away", "back at 3"));
    apply(DeviceOp.callStart("laptop", "c1"));
    UserDevices copy = UserDevices.decode("bob", bob.encode());
    assertEquals(bob.view(), copy.view());
    assertView("busy", "back at 3", 2, copy.view());
    assertView("away", "back at 3", 2, copy.apply(DeviceOp.callEnd("laptop", "c1"), now));
    assertView("away", "back at 3", 1, copy.apply(DeviceOp.remove("laptop"), now));
  }
}
