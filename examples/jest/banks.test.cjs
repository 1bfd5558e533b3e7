const axios = require('axios');
const { startTestMock } = require('lean-mock/testing');

let mock;
beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => mock.close());

/** The client under test: axios with the identity's certificate through `mock.agent()`. */
function leanClient(identity = 'my_app') {
  return axios.create({ baseURL: mock.url, httpsAgent: mock.agent(identity), headers: mock.headers() });
}

test('lists banks with the app certificate and token', async () => {
  const res = await leanClient().get('/banks/v1');
  expect(res.status).toBe(200);
  expect(res.data.length).toBeGreaterThan(0);
});

test('is refused with an expired certificate, and the mock says why', async () => {
  const refused = await mock.expectRejected(() => leanClient('expired').get('/banks/v1'));
  expect(refused.reason).toBe('expired');
});
