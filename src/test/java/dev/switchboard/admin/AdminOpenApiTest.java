package dev.switchboard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.switchboard.admin.AdminSettings.ADMIN_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/admin-api.yaml and the routes the broker serves describe the same API. */
@ExtendWith(VertxExtension.class)
class AdminOpenApiTest {
  private JsonNode paths;
  private Switchboard broker;

  @BeforeEach
  void load(Vertx vertx) throws IOException {
    paths = new ObjectMapper(new YAMLFactory()).readTree(new File("docs/admin-api.yaml")).get("paths");
    broker = Brokers.start(vertx, Brokers.options().setMetricsPort(0).set(ADMIN_TOKEN, AdminClient.TOKEN));
  }

  @Test
  void everyDocumentedOperationAnswersOneOfItsDocumentedStatuses() {
    AdminClient admin = new AdminClient(broker.metricsPort());
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String concrete = path.getKey().replaceAll("\\{[^}]+}", "nobody");
        AdminClient.Answer answer = admin.call(op.getKey().toUpperCase(Locale.ROOT), concrete,
            op.getKey().equals("get") ? null : "{}");
        assertTrue(op.getValue().get("responses").has(String.valueOf(answer.status())),
            op.getKey() + " " + concrete + " answered " + answer.status() + " " + answer.text());
        if (answer.status() >= 400) {
          assertTrue(answer.body() != null && answer.body().containsKey("code"), concrete + ": " + answer.text());
        }
      }
    }
  }

  @Test
  void everyServedRouteIsDocumented(Vertx vertx) {
    Router router = Router.router(vertx);
    Set<String> served = new HashSet<>();
    // Mounting reads none of the collaborators: the route table alone is compared.
    AdminApi api = new AdminApi(AdminClient.TOKEN, java.time.Clock.systemUTC(), null, null, null, null, new AdminRooms(null), 1);
    api.mount(router);
    for (Route route : router.getRoutes()) {
      if (route.methods() == null || route.getPath() == null) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(m -> served.add(m.name().toLowerCase(Locale.ROOT) + " " + path));
    }
    Set<String> documented = new HashSet<>();
    paths.fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> documented.add(m + " " + p.getKey())));
    assertEquals(documented, served);
  }
}
