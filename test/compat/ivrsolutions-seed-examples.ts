/**
 * Every request example of IVR Solutions' API document (/work/shared/seeds/003_025620f20408d7d7.txt), in its
 * order, verbatim: method, path, parameters, body, and the documented response where the document shows one.
 * Where the document gives an endpoint no path, `path` is the one the adapter mounts it at (README
 * "Compatibility: IVR Solutions"). `YOUR_API_TOKEN` and the curl example's `••••••••` are the document's
 * placeholders for a token: the replay puts the world's token there.
 *
 * `expect`: 200 (`documented` is then checked field by field), or 400 naming the `refused` fields: what our
 * model cannot carry out. Cases with `variantOf` are not in the document: they are the same request without
 * the refused fields (or with ids of ours where the document's cannot be ours), to show the rest works.
 */
export interface SeedCase {
  id: string;
  /** The document's heading for the endpoint (its first sentence). */
  endpoint: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  json?: Record<string, unknown>;
  /** curl -F fields (multipart/form-data). */
  multipart?: Record<string, string>;
  headers?: Record<string, string>;
  documented?: Record<string, unknown>;
  expect: { status: 200 } | { status: 400; refused: string[] };
  /** Keys whose value may be null where the document shows a value: what we do not know (see README). */
  nullable?: string[];
  /** The clock for the request (ISO): the document's schedule dates are in the past today. */
  clock?: string;
  /** Send John Doe's (an agent's) login token instead of the API key. */
  asAgent?: boolean;
  variantOf?: string;
}

const PLACEHOLDER = 'YOUR_API_TOKEN';
export const TOKEN_PLACEHOLDERS = [PLACEHOLDER, '••••••••'];
const C2C_RESPONSE = { status: 200, message: 'Call connecting. Please wait...', logid: 123456 };
const CLOCK = '2024-12-01T00:00:00.000Z';

export const SEED_CASES: SeedCase[] = [
  {
    id: 'E01', endpoint: 'Bridge an agent and a customer in one request (curl)', method: 'POST', path: '/api/c2c_post',
    headers: { Authorization: 'Bearer ••••••••' }, multipart: { did: '+911143104567', ext_no: '2101', phone: '09876543210' },
    documented: C2C_RESPONSE, expect: { status: 200 },
  },
  {
    id: 'E02', endpoint: 'Bridge an agent and a customer with a single GET request', method: 'GET', path: '/api/c2c_get',
    query: { token: PLACEHOLDER, did: '+911143104567', ext_no: '2101', phone: '09876543210' }, documented: C2C_RESPONSE, expect: { status: 200 },
  },
  {
    id: 'E03', endpoint: 'Bridge an agent and a customer with a POST request', method: 'POST', path: '/api/c2c_post',
    json: { did: '+911143104567', ext_no: '2101', phone: '09876543210' }, documented: C2C_RESPONSE, expect: { status: 200 },
  },
  {
    id: 'E04', endpoint: 'Bridge two numbers with extra control', method: 'POST', path: '/api/c2c_two_party', clock: CLOCK,
    json: { body: 'Hello, connecting your call', did: '+911143104567', first_phone: '+919876543210', schedule_datetime: '2025-12-31 13:00:00', second_phone: '+919123456789', timezone: 'Asia/Kolkata' },
    expect: { status: 200 },
  },
  { id: 'E05', endpoint: 'Retrieve recordings for click-to-call calls', method: 'GET', path: '/api/c2c_recordings', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  {
    id: 'E06', endpoint: 'Bridge two people through your DID without revealing either party\'s real phone number', method: 'POST', path: '/api/click_connect',
    json: { first_phone: '+919876543210', second_phone: '+919123456789', did: '+911143104567' },
    documented: { status: 200, message: 'Call connecting. Please wait...', logid: 123457 }, expect: { status: 200 },
  },
  {
    id: 'E07', endpoint: 'Update or cancel a live number-masking (Click-Connect) session', method: 'POST', path: '/api/click_connect_update',
    json: { action: 'cancel', body: 'Hello, connecting your call', did: '+911143104567', first_number: '+919876543210' },
    expect: { status: 400, refused: ['body'] },
  },
  {
    id: 'E07b', variantOf: 'E07', endpoint: 'Update or cancel a live number-masking session (without body)', method: 'POST', path: '/api/click_connect_update',
    json: { action: 'cancel', did: '+911143104567', first_number: '+919876543210' }, expect: { status: 200 },
  },
  {
    id: 'E08', endpoint: 'Fetch logs for your number-masking (Click-Connect) sessions', method: 'POST', path: '/api/click_connect_logs',
    json: { did: '+911143104567', from_date: '2025-08-01', orderby: 'desc', to_date: '2025-08-31' }, expect: { status: 200 },
  },
  {
    id: 'E09', endpoint: 'List every call flow (IVR) configured in your account', method: 'GET', path: '/api/get_call_flows', query: { token: PLACEHOLDER },
    documented: {
      status: 200,
      data: [
        { id: 1001, name: 'Welcome IVR', description: 'Main welcome menu' },
        { id: 1002, name: 'Order Confirmation', description: 'COD order confirmation flow' },
        { id: 1003, name: 'Feedback Survey', description: 'Post-call feedback collection' },
      ],
    },
    expect: { status: 200 },
  },
  {
    id: 'E10', endpoint: 'Place an outbound call and play a pre-built IVR call flow', method: 'POST', path: '/api/dial_by_flow', clock: CLOCK,
    json: { did_no: '+911143104567', flow_id: '1001', customer_no: '09871234567', schedule_datetime: '2024-12-31 13:00:00', timezone: 'Asia/Kolkata' },
    expect: { status: 200 },
  },
  {
    id: 'E11', endpoint: 'Place an outbound call that speaks a text-to-speech message built from a template', method: 'POST', path: '/api/dial_by_text', clock: CLOCK,
    json: {
      did_no: '+911143104567', flow_id: '1701', customer_no: '09354123456', template_name: 'api_order_confirm', Variable: 'John,ORD12345,1500',
      schedule_datetime: '2024-12-31 13:00:00', timezone: 'Asia/Kolkata',
    },
    documented: { status: 200, message: 'Call initiated successfully', call_id: 'call_txt_abc123' }, expect: { status: 200 },
  },
  {
    id: 'E12', endpoint: 'List your auto-dialer campaigns with their IDs and status', method: 'GET', path: '/api/get_dialers_list', query: { token: PLACEHOLDER },
    documented: {
      status: 200,
      data: [
        { id: 101, name: 'Order Confirmation Campaign', did_no: '+911143104567', status: 'on', start_time: '09:00', end_time: '18:00', no_of_calls: 5, total_numbers: 1250, completed: 890, pending: 360 },
        { id: 102, name: 'Feedback Survey', did_no: '+911143104568', status: 'off', start_time: '10:00', end_time: '17:00', no_of_calls: 3, total_numbers: 500, completed: 500, pending: 0 },
      ],
    },
    expect: { status: 200 },
  },
  {
    id: 'E13', endpoint: 'Add a single contact to an existing auto-dialer campaign', method: 'POST', path: '/api/add_to_ivrdialer',
    json: { dialerid: 101, number: '09876543210', name: 'John Doe', order_id: 'ORD12345' },
    documented: { status: true, message: 'Number added to dialer successfully' }, expect: { status: 200 },
  },
  {
    id: 'E14', endpoint: 'Add many contacts to an auto-dialer campaign in one request', method: 'POST', path: '/api/add_to_ivrdialerbulk',
    json: {
      dialerid: 101,
      numbers: [
        { number: '09876543210', name: 'John Doe', order_id: 'ORD001' },
        { number: '09876543211', name: 'Jane Smith', order_id: 'ORD002' },
        { number: '09876543212', name: 'Bob Wilson', order_id: 'ORD003' },
      ],
    },
    documented: { status: true, message: '3 numbers added to dialer successfully' }, expect: { status: 200 },
  },
  {
    id: 'E15', endpoint: 'Start, pause or stop an auto-dialer campaign', method: 'POST', path: '/api/change_dialer_status',
    json: { dialerid: 101, status: 'on' }, documented: { status: true, message: 'Dialer status changed to on' }, expect: { status: 200 },
  },
  {
    id: 'E16', endpoint: 'List the saved customer/contact lists in your account', method: 'GET', path: '/api/get_customer_lists', query: { token: PLACEHOLDER },
    documented: {
      status: 200,
      data: [
        { id: 1, name: 'December Leads', count: 1500, created_at: '2024-12-01 10:00:00' },
        { id: 2, name: 'Premium Customers', count: 350, created_at: '2024-11-15 14:30:00' },
      ],
    },
    expect: { status: 200 },
  },
  {
    id: 'E17', endpoint: 'Create a new named customer list to group contacts', method: 'POST', path: '/api/create_customer_list',
    json: { listname: 'January Campaign 2025' }, documented: { status: true, message: 'Customer list created successfully', list_id: 15 }, expect: { status: 200 },
  },
  {
    id: 'E18', endpoint: 'Create an outbound text-to-speech dialer campaign', method: 'POST', path: '/api/create_text_dialer',
    json: { name: 'Order Confirmation Dialer', did_no: '+911143104567', no_of_call: 5, start_time: '09:00', end_time: '18:00', text_template_id: 101, send_call_flow_id: 102 },
    documented: { status: true, message: 'Text dialer created successfully', dialer_id: 105 }, expect: { status: 200 },
  },
  {
    id: 'E19', endpoint: 'Update the settings of an existing text-to-speech dialer', method: 'POST', path: '/api/update_text_dialer',
    json: { id: 105, name: null, did_no: null, no_of_call: null, start_time: null, end_time: null, text_template_id: null },
    documented: { status: true, message: 'Dialer updated successfully' }, expect: { status: 200 },
  },
  {
    id: 'E20', endpoint: 'Add a batch of records to a dialer campaign', method: 'POST', path: '/api/add_dialer_records',
    json: { recordList: [{ number: '09876543210', name: 'John Doe' }] }, expect: { status: 400, refused: ['dialerid'] },
  },
  {
    id: 'E20b', variantOf: 'E20', endpoint: 'Add a batch of records to a dialer campaign (naming the dialer)', method: 'POST', path: '/api/add_dialer_records',
    json: { dialerid: 101, recordList: [{ number: '09876543210', name: 'John Doe' }] }, expect: { status: 200 },
  },
  {
    id: 'E21', endpoint: 'Trigger a flow-based outbound call with simple query parameters', method: 'GET', path: '/api/dial_flow_get',
    query: { token: PLACEHOLDER, did: '+911143104567', flow: '1001', phone: '09876543210', body: '' }, expect: { status: 200 },
  },
  {
    id: 'E22', endpoint: 'Turn an agent extension on or off', method: 'POST', path: '/api/change_extension_status',
    json: { ext_no: '2101', status: '1' }, expect: { status: 200 },
  },
  {
    id: 'E23', endpoint: 'Create a new agent with a login and extension', method: 'POST', path: '/api/add_agent',
    json: { name: 'John Doe', email: 'john.doe@company.com', phonenumber: '9876543210', password: 'SecurePass@123' },
    documented: { status: true, message: 'Agent added successfully', data: { agent_id: 456, ext_no: '2105', name: 'John Doe', email: 'john.doe@company.com' } },
    expect: { status: 200 },
  },
  {
    id: 'E24', endpoint: 'Assign or change the DID number tied to an agent', method: 'POST', path: '/api/update_agent_did',
    json: { agent_ext: '2101', did_num: '+911143104567' }, documented: { status: true, message: 'Agent DID updated successfully' }, expect: { status: 200 },
  },
  { id: 'E25', endpoint: 'List the agents in your account', method: 'GET', path: '/api/get_agents', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  { id: 'E26', endpoint: 'List all extensions configured in your account', method: 'GET', path: '/api/get_extensions', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  { id: 'E27', endpoint: 'Get the full configuration of a single extension', method: 'POST', path: '/api/extension_details', json: { ext_no: '2101' }, expect: { status: 200 } },
  { id: 'E28', endpoint: 'Deactivate the user on a group extension', method: 'POST', path: '/api/deactivate_group_extension_user', json: { ext_no: '2101' }, expect: { status: 200 } },
  {
    id: 'E29', endpoint: 'Set an expiry date on an extension', method: 'POST', path: '/api/set_extension_expiry', clock: CLOCK,
    json: { expiry_date: '2025-12-31', ext_no: '2101' }, expect: { status: 200 },
  },
  {
    id: 'E30', endpoint: 'Create a new group extension with its user and call settings', method: 'POST', path: '/api/create_group_extension',
    json: {
      call_forwarding: '1', connection: '1', did_no: '+911143104567', email: 'user@company.com', expiry_date: '2025-12-31', extn_no: '2101',
      kyc_required: '0', name: 'John Doe', password: 'SecurePass@123', phone: '09876543210', recording_id: '2207',
    },
    expect: { status: 400, refused: ['call_forwarding', 'connection', 'recording_id'] },
  },
  {
    id: 'E30b', variantOf: 'E30', endpoint: 'Create a new group extension (flags off, no recording_id, a free extension)', method: 'POST', path: '/api/create_group_extension', clock: CLOCK,
    json: {
      call_forwarding: '0', connection: '0', did_no: '+911143104567', email: 'user@company.com', expiry_date: '2025-12-31', extn_no: '2110',
      kyc_required: '0', name: 'John Doe', password: 'SecurePass@123', phone: '09876543210',
    },
    expect: { status: 200 },
  },
  {
    id: 'E31', endpoint: 'Fetch your full call history for a date range', method: 'GET', path: '/api/call_logs',
    query: { token: PLACEHOLDER, from_date: '2024-12-01', to_date: '2024-12-31' },
    documented: {
      status: 200,
      data: [
        {
          recordid: 12345, did_no: '+911143104567', client_no: '9876543210', agent_no: '9123456789', attended_by: 'John Doe', ext_no: '2101',
          call_time: '2024-12-15 10:30:45', call_duration: 185, call_status: 'answered', call_type: 'inbound',
          recording_url: 'https://calls.ivrsolutions.in/monitor/2024/12/15/rec_12345.mp3', dtmf_input: '1',
        },
        {
          recordid: 12346, did_no: '+911143104567', client_no: '9876543211', agent_no: '9123456788', attended_by: 'Jane Smith', ext_no: '2102',
          call_time: '2024-12-15 11:15:22', call_duration: 92, call_status: 'answered', call_type: 'inbound',
          recording_url: 'https://calls.ivrsolutions.in/monitor/2024/12/15/rec_12346.mp3', dtmf_input: '',
        },
      ],
    },
    // Dialer calls have no agent and no recording.
    nullable: ['agent_no', 'attended_by', 'ext_no', 'recording_url'],
    expect: { status: 200 },
  },
  {
    id: 'E32', endpoint: 'Look up all calls involving a specific phone number', method: 'GET', path: '/api/call_logs_by_number', query: { token: PLACEHOLDER, phone: '9876543210' },
    documented: {
      status: 200,
      data: [{
        recordid: 12345, did_no: '+911143104567', client_no: '9876543210', attended_by: 'John Doe', call_time: '2024-12-15 10:30:45', call_duration: 185,
        call_type: 'inbound', recording_url: 'https://calls.ivrsolutions.in/monitor/2024/12/15/rec_12345.mp3',
      }],
    },
    nullable: ['attended_by', 'recording_url'],
    expect: { status: 200 },
  },
  {
    id: 'E33', endpoint: 'Fetch logs specific to click-to-call (agent↔customer bridge) calls', method: 'GET', path: '/api/c2c_logs', query: { token: PLACEHOLDER },
    documented: {
      status: 200,
      data: [{
        recordid: 56789, did_no: '+911143104567', agent_no: '9123456789', client_no: '9876543210', agent_name: 'John Doe', call_time: '2024-12-15 14:22:10',
        call_duration: 245, call_status: 'answered', recording_url: 'https://calls.ivrsolutions.in/monitor/c2c/2024/12/15/c2c_56789.mp3',
      }],
    },
    expect: { status: 200 },
  },
  {
    id: 'E34', endpoint: 'Look up click-to-call records for one phone number', method: 'GET', path: '/api/c2c_logs_by_number', query: { token: PLACEHOLDER, phone: '9876543210' },
    documented: {
      status: 200,
      data: [{
        recordid: 56789, did_no: '+911143104567', agent_no: '9123456789', client_no: '9876543210', call_time: '2024-12-15 14:22:10', call_duration: 245,
        recording_url: 'https://calls.ivrsolutions.in/monitor/c2c/2024/12/15/c2c_56789.mp3',
      }],
    },
    expect: { status: 200 },
  },
  {
    id: 'E35', endpoint: 'Fetch the results of an auto-dialer campaign', method: 'POST', path: '/api/dialer_logs', json: { dialerid: 101 },
    documented: {
      status: 200,
      data: [
        { id: 78901, dialer_id: 101, dialer_name: 'Order Confirmation Campaign', customer_no: '9876543210', call_time: '2024-12-15 10:05:30', call_duration: 45, call_status: 'answered', dtmf_input: '1', attempts: 1 },
        { id: 78902, dialer_id: 101, dialer_name: 'Order Confirmation Campaign', customer_no: '9876543211', call_time: '2024-12-15 10:06:15', call_duration: 0, call_status: 'no_answer', dtmf_input: '', attempts: 2 },
      ],
    },
    expect: { status: 200 },
  },
  {
    id: 'E36', endpoint: 'Get the list of call status values you can filter by or set on records', method: 'GET', path: '/api/get_call_status', query: { token: PLACEHOLDER },
    documented: {
      status: true,
      data: [
        { id: 1, name: 'Interested' }, { id: 2, name: 'Not Interested' }, { id: 3, name: 'Call Back Later' }, { id: 4, name: 'Wrong Number' },
        { id: 5, name: 'DND' }, { id: 6, name: 'Converted' }, { id: 7, name: 'Follow Up Required' },
      ],
    },
    expect: { status: 200 },
  },
  {
    id: 'E37', endpoint: 'Attach a status and note to a call record', method: 'POST', path: '/api/update_call_note',
    json: { record_id: '12345', call_status: 1, call_type: 'incoming', call_remark: 'Customer interested in premium plan. Follow up next week.' },
    documented: { status: true, message: 'Call note updated successfully' }, expect: { status: 200 },
  },
  {
    id: 'E38', endpoint: 'Pull new call logs since your last sync, across all call types', method: 'POST', path: '/api/all_call_logs',
    json: { last_c2c_log_id: '0', last_call_log_id: '0', last_dialer_log_id: '0' }, expect: { status: 200 },
  },
  {
    id: 'E39', endpoint: 'Attach a note and status to a specific call', method: 'POST', path: '/api/add_call_note',
    json: { sip_call_id: 'abc123.45@sip', note: 'Customer requested a callback', call_type: 'c2c', status: '1' }, expect: { status: 200 },
  },
  {
    id: 'E40', endpoint: 'List the DID (virtual) numbers linked to your account', method: 'GET', path: '/api/get_dids', query: { token: PLACEHOLDER },
    documented: {
      status: true,
      data: [
        { did_number: '+911143104567', region: 'Delhi', status: 'active', type: 'landline' },
        { did_number: '+918043104568', region: 'Bangalore', status: 'active', type: 'landline' },
        { did_number: '+911onal60123', region: 'Toll-Free', status: 'active', type: 'tollfree' },
      ],
    },
    nullable: ['type'],
    expect: { status: 200 },
  },
  {
    id: 'E41', endpoint: 'List the regions where DID numbers are available to buy', method: 'GET', path: '/api/get_did_regions', query: { token: PLACEHOLDER },
    documented: {
      status: true, message: 'Region found successfully',
      data: [
        { id: 1, name: 'Delhi', code: '011' }, { id: 2, name: 'Bangalore', code: '080' }, { id: 3, name: 'Mumbai', code: '022' },
        { id: 4, name: 'Chennai', code: '044' }, { id: 5, name: 'Hyderabad', code: '040' }, { id: 6, name: 'Faridabad', code: '0129' },
      ],
    },
    expect: { status: 200 },
  },
  {
    id: 'E42', endpoint: 'Search for DID numbers available to purchase', method: 'POST', path: '/api/search_did',
    json: { country_code: 'IN', region: '1', search_pattern: null, pattern: '4310' }, expect: { status: 400, refused: ['region'] },
  },
  {
    id: 'E42b', variantOf: 'E42', endpoint: 'Search for DID numbers (our region id, as get_did_regions lists it)', method: 'POST', path: '/api/search_did',
    json: { country_code: 'IN', region: '91-11', search_pattern: null, pattern: '4310' },
    documented: { status: true, message: 'Numbers found', cost: '500', currency: 'INR', data: ['+911143104501', '+911143104502', '+911143104503', '+911143104504', '+911143104505'] },
    nullable: ['cost', 'currency'],
    expect: { status: 200 },
  },
  {
    id: 'E43', endpoint: 'Purchase a DID number and add it to your account', method: 'POST', path: '/ivrappv2/buy_did',
    json: { country: 'IN', number: '+911143104501' }, documented: { status: true, message: 'Did added to your account', data: '+911143104501' }, expect: { status: 200 },
  },
  { id: 'E44', endpoint: 'List the DID numbers linked to your account (with status and assignment)', method: 'GET', path: '/ivrappv2/get_did_list', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  {
    id: 'E45', endpoint: 'Search for purchasable DID numbers by region and pattern', method: 'POST', path: '/ivrappv2/search_did',
    json: { availabilty_level: '1', did_region: '1', pattern_last_digits: '4310', size: '20' }, expect: { status: 400, refused: ['availabilty_level'] },
  },
  {
    id: 'E45b', variantOf: 'E45', endpoint: 'Search for purchasable DID numbers (no availability level; region by name)', method: 'POST', path: '/ivrappv2/search_did',
    json: { did_region: 'Delhi', pattern_last_digits: '4503', size: '20' }, expect: { status: 200 },
  },
  {
    id: 'E46', endpoint: 'Provision and configure a DID — routing, owner and options — in one call', method: 'POST', path: '/api/did_setup',
    json: {
      call_forwarding: '1', connection: '1', did_no: '+911143104567', email: 'user@company.com', expiry_date: '2025-12-31', extn_no: '2101',
      kyc_required: '0', name: 'John Doe', password: 'SecurePass@123', phone: '09876543210', recording_id: '2207',
    },
    expect: { status: 400, refused: ['call_forwarding', 'connection', 'recording_id'] },
  },
  {
    id: 'E46b', variantOf: 'E46', endpoint: 'Provision a DID (flags off, no recording_id, a free extension)', method: 'POST', path: '/api/did_setup', clock: CLOCK,
    json: {
      call_forwarding: '0', connection: '0', did_no: '+911143104568', email: 'user@company.com', expiry_date: '2025-12-31', extn_no: '2111',
      kyc_required: '0', name: 'John Doe', password: 'SecurePass@123', phone: '09876543210',
    },
    expect: { status: 200 },
  },
  {
    id: 'E47', endpoint: 'Configure a DID shared by a group or team', method: 'POST', path: '/api/group_did_setup',
    json: {
      call_forwarding: '1', connection: '1', did_no: '+911143104567', expiry_date: '2025-12-31', extn_no: '2101', kyc_required: '0', name: 'John Doe',
      password: 'SecurePass@123', recording_id: '2207',
    },
    expect: { status: 400, refused: ['call_forwarding', 'connection', 'recording_id'] },
  },
  {
    id: 'E48', endpoint: 'Configure a group DID for a SIP / softphone user', method: 'POST', path: '/api/group_did_sip_setup',
    json: {
      call_forwarding: '1', connection: '1', did_no: '+911143104567', email: 'user@company.com', expiry_date: '2025-12-31', extn_no: '2101',
      kyc_required: '0', name: 'John Doe', password: 'SecurePass@123', phone: '09876543210', recording_id: '2207',
    },
    expect: { status: 400, refused: ['call_forwarding', 'connection', 'recording_id'] },
  },
  { id: 'E49', endpoint: 'Check the live status of your DID numbers', method: 'POST', path: '/api/did_live_status', json: { token: PLACEHOLDER }, expect: { status: 200 } },
  { id: 'E50', endpoint: 'Check live DID status in the agent\'s context', method: 'POST', path: '/api/agent_did_live_status', json: { token: PLACEHOLDER }, asAgent: true, expect: { status: 200 } },
  { id: 'E51', endpoint: 'List the AI voice bots configured in your account', method: 'GET', path: '/api/get_voicebots', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  {
    id: 'E52', endpoint: 'Place an outbound call answered by an AI voice bot over your WebSocket bridge', method: 'POST', path: '/api/dial_by_aivoicebot', clock: CLOCK,
    json: {
      Voicechat_id: '4821', ai_agent_ext: '2101', connect_ws_after_answer: '1', customer_no: '09876543210', schedule_datetime: '2025-12-31 13:00:00',
      sip_url: 'sip:bot@example.com', sttlanguage_code: 'en-IN', system_msg: 'You are a helpful assistant.', text: 'Hi, this is an automated call.',
      timezone: 'Asia/Kolkata', wss_header: 'Authorization: Bearer xyz', wss_url: 'wss://example.com/stream',
    },
    expect: { status: 400, refused: ['sip_url', 'wss_url'] },
  },
  {
    id: 'E52b', variantOf: 'E52', endpoint: 'AI voice bot call to your WebSocket (no sip_url, no Voicechat_id)', method: 'POST', path: '/api/dial_by_aivoicebot', clock: CLOCK,
    json: {
      ai_agent_ext: '2101', connect_ws_after_answer: '1', customer_no: '09876543210', schedule_datetime: '2025-12-31 13:00:00', sttlanguage_code: 'en-IN',
      system_msg: 'You are a helpful assistant.', text: 'Hi, this is an automated call.', timezone: 'Asia/Kolkata', wss_header: 'Authorization: Bearer xyz',
      wss_url: 'wss://example.com/stream',
    },
    expect: { status: 200 },
  },
  {
    id: 'E53', endpoint: 'Place an outbound call handled by a pre-built voice bot', method: 'POST', path: '/api/dial_by_voicebot', clock: CLOCK,
    json: {
      Voicechat_id: '4821', customer_no: '09876543210', did_num: '+911143104567', schedule_datetime: '2025-12-31 13:00:00', system_msg: 'You are a helpful assistant.',
      text: 'Hi, this is an automated call.', timezone: 'Asia/Kolkata',
    },
    expect: { status: 200 },
  },
  { id: 'E54', endpoint: 'List your AI voice bots', method: 'GET', path: '/api/voicebot_list', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  {
    id: 'E55', endpoint: 'Get a voice bot\'s configuration and training data', method: 'POST', path: '/api/get_voicebot',
    json: { voicebot_id: '4821', aitraingdata: '1' }, expect: { status: 400, refused: ['aitraingdata'] },
  },
  {
    id: 'E55b', variantOf: 'E55', endpoint: 'Get a voice bot\'s configuration (without training data)', method: 'POST', path: '/api/get_voicebot',
    json: { voicebot_id: '4821', aitraingdata: '0' }, expect: { status: 200 },
  },
  {
    id: 'E56', endpoint: 'Create a reusable text-to-speech template', method: 'POST', path: '/api/create_text_template',
    json: { template_name: 'api_order_confirm', text_content: 'Press 1 to confirm your order.' }, expect: { status: 200 },
  },
  { id: 'E57', endpoint: 'Check whether a text template is approved and ready to use', method: 'POST', path: '/api/text_template_status', json: { template_name: 'api_order_confirm' }, expect: { status: 200 } },
  { id: 'E58', endpoint: 'List your text-to-speech templates', method: 'GET', path: '/api/get_text_templates', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  {
    id: 'E59', endpoint: 'Save a contact to your address book', method: 'POST', path: '/api/save_contact',
    json: { country_code: '+91', name: 'John Doe', number: '09876543210' }, expect: { status: 200 },
  },
  { id: 'E60', endpoint: 'Look up a saved contact by phone number', method: 'POST', path: '/api/get_contact', json: { phone: '09876543210' }, expect: { status: 200 } },
  { id: 'E61', endpoint: 'Look up a contact in the calling agent\'s context', method: 'POST', path: '/api/agent_get_contact', json: { phone: '09876543210' }, expect: { status: 200 } },
  { id: 'E62', endpoint: 'List the variables available for call flows and text templates', method: 'GET', path: '/api/get_call_variables', query: { token: PLACEHOLDER }, expect: { status: 200 } },
  { id: 'E63', endpoint: 'Resolve details about an inbound caller', method: 'POST', path: '/api/caller_details', json: { caller_number: '09876543210' }, expect: { status: 200 } },
  {
    id: 'E64', endpoint: 'Register a URL to receive real-time call events', method: 'POST', path: '/api/register_webhook',
    json: { secret_key: 'whsec_abc123', webhookurl: 'https://yourapp.com/webhooks/ivr' }, expect: { status: 400, refused: ['secret_key'] },
  },
  {
    id: 'E64b', variantOf: 'E64', endpoint: 'Register a webhook URL (a secret of at least 16 characters)', method: 'POST', path: '/api/register_webhook',
    json: { secret_key: 'whsec_abc123abc123abc123', webhookurl: 'https://yourapp.com/webhooks/ivr' }, expect: { status: 200 },
  },
  { id: 'E65', endpoint: 'Fetch lead data formatted for CRM integration', method: 'GET', path: '/api/crm_lead_data', query: { token: PLACEHOLDER }, expect: { status: 200 } },
];
